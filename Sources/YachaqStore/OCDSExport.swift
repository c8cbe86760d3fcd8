import Crypto
import Foundation
import PostgresNIO
import YachaqDomain

/// Contracts as an OCDS 1.1 release package (`OCDS`), streamed: the package's head, then the
/// releases a page of contracts at a time (each page read in a few set-based queries, no
/// connection held while the caller writes), then its tail. Draft contracts are not published.
public struct OCDSExport: Sendable {
    let database: Database
    let logger: Logger
    let prefix: String

    /// A placeholder until the publisher registers its own with the Open Contracting Partnership.
    public static let defaultPrefix = "ocds-yachaq"

    public init(database: Database, logger: Logger, prefix: String = defaultPrefix) {
        self.database = database
        self.logger = logger
        self.prefix = prefix
    }

    /// Writes the package of contracts starting in [from, to]; returns how many releases.
    public func package(
        from: CalendarDate?, to: CalendarDate?, uri: String, batchSize: Int = 500, write: (String) async throws -> Void
    ) async throws -> Int {
        // The package's members but its releases, then the releases array left open.
        struct Head: Encodable {
            let extensions = OCDS.extensions
            let license = "https://opendatacommons.org/licenses/by/1-0/"
            let publishedDate = Date()
            let publisher = ["name": "Yachaq"]
            let uri: String
            let version = "1.1"
        }
        var head = String(decoding: try OCDS.encoder.encode(Head(uri: uri)), as: UTF8.self)
        head.removeLast()
        head += #","releases":["#
        try await write(head)
        var count = 0
        var after: (at: String, id: UUID)?
        while true {
            let (releases, last) = try await database.reading { connection in
                try await page(from: from, to: to, after: after, limit: batchSize, on: connection)
            }
            guard let last else { break }
            let text = try releases.map { String(decoding: try OCDS.encoder.encode($0), as: UTF8.self) }.joined(separator: ",")
            try await write((count == 0 ? "" : ",") + text)
            count += releases.count
            after = last
        }
        try await write("]}\n")
        return count
    }

    private func page(
        from: CalendarDate?, to: CalendarDate?, after: (at: String, id: UUID)?, limit: Int, on connection: PostgresConnection
    ) async throws -> ([OCDS.Release], (at: String, id: UUID)?) {
        var query = FilteredQuery("SELECT id, created_at::text AS created_key FROM contracts c")
        query.filter("c.status <> 'draft'")
        if let from { query.filter("lower(c.period) >= {}::date", from.text) }
        if let to { query.filter("lower(c.period) <= {}::date", to.text) }
        if let after { query.filter("(c.created_at, c.id) > ({}::timestamptz, {})", after.at, after.id) }
        let keys = try await connection.run(query.ordered(by: "c.created_at, c.id", limit: limit), logger: logger).records {
            (at: try $0.value("created_key", as: String.self), id: try $0.value("id", as: UUID.self))
        }
        guard let last = keys.last else { return ([], nil) }
        let ids = keys.map(\.id)
        let contracts = try await ContractStore.load(ids, on: connection, logger: logger).inOrder(of: ids, entity: "contract")
        let requestIDs = Array(Set(contracts.compactMap(\.requestID)))
        let requests = try await ServiceRequestStore.load(requestIDs, on: connection, logger: logger)
        let payments = try await connection.run(
            """
            SELECT \(unescaped: PaymentStore.columns), f.kind AS funding_kind FROM payments p JOIN contract_funding f ON f.id = p.funding_id
            WHERE p.contract_id = ANY(\(ids)) ORDER BY p.created_at, p.id
            """, logger: logger
        ).records(Payment.init)
        let names = try await connection.run(
            """
            SELECT id, name FROM organizations WHERE id IN (
                SELECT organization_id FROM contracts WHERE id = ANY(\(ids))
                UNION SELECT source_organization_id FROM contract_funding WHERE contract_id = ANY(\(ids))
                UNION SELECT payer_organization_id FROM payments WHERE contract_id = ANY(\(ids)))
            """, logger: logger
        ).records { (id: try $0.value("id", as: UUID.self), name: try $0.value("name", as: String.self)) }
        let providers = try await connection.run(
            """
            SELECT id, full_name, consent_to_publish AND status <> 'suspended' AS public FROM providers
            WHERE id = ANY(\(contracts.map(\.providerID)))
            """, logger: logger
        ).records { row in
            (
                id: try row.value("id", as: UUID.self),
                party: Self.party(try row.value("id"), name: try row.value("full_name"), public: try row.value("public"))
            )
        }
        let organizations = Dictionary(names.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let suppliers = Dictionary(providers.map { ($0.id, $0.party) }, uniquingKeysWith: { first, _ in first })
        let paymentsOf = Dictionary(grouping: payments, by: \.contractID)
        let releases = contracts.map { contract in
            OCDS.release(
                OCDS.Source(
                    contract: contract, request: contract.requestID.flatMap { requests[$0] }, payments: paymentsOf[contract.id] ?? [],
                    organizations: organizations,
                    supplier: suppliers[contract.providerID] ?? Self.party(contract.providerID, name: "", public: false)), prefix: prefix)
        }
        return (releases, last)
    }
}

extension OCDSExport {
    /// The technician as open data names them: by id and name while their profile is public;
    /// otherwise (they have not agreed to publish, or are suspended) by a pseudonym that stays
    /// the same across releases and exports but does not lead back to the profile, and no name.
    static func party(_ id: UUID, name: String, public: Bool) -> OCDS.Named {
        guard !`public` else { return OCDS.Named(id: "provider-\(id.uuidString.lowercased())", name: name) }
        let digest = SHA256.hash(data: Data(("yachaq-talent:" + id.uuidString.lowercased()).utf8))
        return OCDS.Named(
            id: "talent-" + digest.prefix(8).map { String(format: "%02x", $0) }.joined(), name: "Talento local (perfil no publicado)")
    }
}
