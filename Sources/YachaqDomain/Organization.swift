import Foundation

public enum OrganizationKind: String, Sendable, Codable, CaseIterable {
    /// comunidad campesina
    case community
    /// producer group (asociación de productores)
    case association
    /// municipality (ODEL office)
    case municipality
    /// the project / AGRORURAL-like agency
    case agency
}

public struct Organization: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    public var kind: OrganizationKind
    public var ubigeo: String
    public var taxId: String?
    public var contact: String?
    public var createdAt: Date

    public init(id: UUID, name: String, kind: OrganizationKind, ubigeo: String, taxId: String?, contact: String?, createdAt: Date) {
        self.id = id
        self.name = name
        self.kind = kind
        self.ubigeo = ubigeo
        self.taxId = taxId
        self.contact = contact
        self.createdAt = createdAt
    }
}

/// An organisation as a client asks to create it.
public struct NewOrganization: Sendable, Decodable, Equatable {
    public var name: String
    public var kind: String
    public var ubigeo: String
    public var taxId: String?
    public var contact: String?

    public init(name: String, kind: String, ubigeo: String, taxId: String? = nil, contact: String? = nil) {
        self.name = name
        self.kind = kind
        self.ubigeo = ubigeo
        self.taxId = taxId
        self.contact = contact
    }

    /// Checked and normalised; the district's existence is checked by the store.
    public func validated() throws -> (name: String, kind: OrganizationKind, ubigeo: Ubigeo, taxId: String?, contact: String?) {
        var check = Validator()
        let name = name.trimmed
        check((2...200).contains(name.count), "name", "must be 2 to 200 characters")
        let kind = OrganizationKind(rawValue: kind)
        check(kind != nil, "kind", "must be one of \(OrganizationKind.allCases.map(\.rawValue).joined(separator: ", "))")
        let ubigeo = Ubigeo(ubigeo)
        check(ubigeo != nil, "ubigeo", "a ubigeo is 6 digits, e.g. 080101")
        let taxId = taxId?.trimmed
        check(taxId.map { $0.isDigits(count: 11) } ?? true, "tax_id", "a RUC is 11 digits")
        let contact = contact?.trimmed
        check((contact?.count ?? 0) <= 500, "contact", "must be at most 500 characters")
        try check.finish()
        return (name, kind!, ubigeo!, taxId, contact?.isEmpty == true ? nil : contact)
    }
}
