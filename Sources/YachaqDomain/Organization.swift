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
    public var taxID: String?
    public var contact: String?
    public var createdAt: Date
    /// When staff disabled it: its users sign in no more, and it takes no new ones.
    public var disabledAt: Date?

    public init(
        id: UUID, name: String, kind: OrganizationKind, ubigeo: String, taxID: String?, contact: String?, createdAt: Date,
        disabledAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.ubigeo = ubigeo
        self.taxID = taxID
        self.contact = contact
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }
}

/// An organisation as a client asks to create it.
public struct NewOrganization: CheckedInput, Equatable {
    public var name: String
    public var kind: String
    public var ubigeo: String
    public var taxID: String?
    public var contact: String?

    public init(name: String, kind: String, ubigeo: String, taxID: String? = nil, contact: String? = nil) {
        self.name = name
        self.kind = kind
        self.ubigeo = ubigeo
        self.taxID = taxID
        self.contact = contact
    }

    /// Checked and normalised, the district looked up in `codes`.
    public func checked(against codes: ReferenceCodes) throws -> OrganizationDraft {
        var check = Validator()
        let name = name.trimmed
        check((2...200).contains(name.count), "name", "must be 2 to 200 characters")
        let kind = OrganizationKind(rawValue: kind)
        check(kind != nil, "kind", "must be one of \(OrganizationKind.allCases.map(\.rawValue).joined(separator: ", "))")
        let ubigeo = check.district(ubigeo, "ubigeo", in: codes)
        let taxID = taxID?.trimmed
        check(taxID.map { $0.isDigits(count: 11) } ?? true, "tax_id", "a RUC is 11 digits")
        let contact = contact?.trimmed
        check((contact?.count ?? 0) <= 500, "contact", "must be at most 500 characters")
        try check.finish()
        return OrganizationDraft(name: name, kind: kind!, ubigeo: ubigeo!, taxID: taxID, contact: contact?.isEmpty == true ? nil : contact)
    }
}

/// An organisation that passed `NewOrganization.checked(against:)`.
public struct OrganizationDraft: Sendable {
    public let name: String
    public let kind: OrganizationKind
    public let ubigeo: Ubigeo
    public let taxID: String?
    public let contact: String?
}
