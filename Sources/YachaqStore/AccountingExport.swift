import Foundation
import PostgresNIO
import YachaqDomain

/// Contracts and payments as CSV for the staff's accounting (`yachaq export contracts`,
/// `yachaq export payments`), in the provider export's layout: a header, one record per line,
/// money in céntimos, empty fields for absent values; names beside ids, so a spreadsheet
/// needs no lookups. Oldest first, a page of `batchSize` at a time.
public struct AccountingExport: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    static let contractColumns = [
        "contract_id", "status", "buyer_id", "buyer", "buyer_kind", "provider_id", "provider", "title", "ubigeo", "department",
        "province", "district", "starts_on", "ends_on", "days", "exclusive", "amount_cents", "paid_cents", "balance_cents",
        "public_transfer_cents", "municipal_cents", "counterpart_cash_cents", "counterpart_in_kind_cents", "paid_public_transfer_cents",
        "paid_municipal_cents", "paid_counterpart_cash_cents", "paid_counterpart_in_kind_cents", "request_id", "signed_at", "created_at",
    ]

    static let paymentColumns = [
        "payment_id", "contract_id", "contract", "paid_on", "amount_cents", "method", "payer_id", "payer", "funding_kind", "reference",
        "corrects_payment_id", "recorded_by", "recorded_at",
    ]

    /// Writes every contract; returns the count.
    public func contracts(batchSize: Int = 1000, write: (String) throws -> Void) async throws -> Int {
        // Every column as text, named as in the header.
        let select = """
            SELECT c.id::text AS contract_id, c.status, c.organization_id::text AS buyer_id, o.name AS buyer, o.kind AS buyer_kind,
                   c.provider_id::text AS provider_id, p.full_name AS provider, c.title, c.ubigeo, d.department, d.province, d.district,
                   lower(c.period)::text AS starts_on, (upper(c.period) - 1)::text AS ends_on,
                   (upper(c.period) - lower(c.period))::text AS days,
                   c.exclusive::text AS exclusive, c.amount_cents::text AS amount_cents, c.paid_cents::text AS paid_cents,
                   (c.amount_cents - c.paid_cents)::text AS balance_cents, f.*, c.request_id::text AS request_id,
                   (SELECT max(t.at) FROM contract_transitions t WHERE t.contract_id = c.id AND t.to_status = 'signed')::text AS signed_at,
                   c.created_at::text AS created_at, c.created_at::text AS created_key, c.id AS id_key
            FROM contracts c JOIN organizations o ON o.id = c.organization_id JOIN providers p ON p.id = c.provider_id
            JOIN districts d ON d.ubigeo = c.ubigeo
            CROSS JOIN LATERAL (
                SELECT \(Self.byKind("amount_cents", "")), \(Self.byKind("paid_cents", "paid_"))
                FROM contract_funding WHERE contract_id = c.id) f
            """
        return try await export(select, alias: "c", columns: Self.contractColumns, batchSize: batchSize, write: write)
    }

    /// Writes every payment and correction; returns the count.
    public func payments(batchSize: Int = 1000, write: (String) throws -> Void) async throws -> Int {
        let select = """
            SELECT y.id::text AS payment_id, y.contract_id::text AS contract_id, c.title AS contract, y.paid_on::text AS paid_on,
                   y.amount_cents::text AS amount_cents, y.method, y.payer_organization_id::text AS payer_id, o.name AS payer,
                   f.kind AS funding_kind, y.reference, y.corrects_payment_id::text AS corrects_payment_id,
                   u.login AS recorded_by, y.created_at::text AS recorded_at, y.created_at::text AS created_key, y.id AS id_key
            FROM payments y JOIN contracts c ON c.id = y.contract_id JOIN organizations o ON o.id = y.payer_organization_id
            JOIN contract_funding f ON f.id = y.funding_id LEFT JOIN users u ON u.id = y.recorded_by
            """
        return try await export(select, alias: "y", columns: Self.paymentColumns, batchSize: batchSize, write: write)
    }

    /// `<prefix><kind>_cents` for each funding kind: the sum of `column` over the lines of that kind.
    private static func byKind(_ column: String, _ prefix: String) -> String {
        FundingKind.allCases.map { kind in
            "coalesce(sum(\(column)) FILTER (WHERE kind = '\(kind.rawValue)'), 0)::text AS \(prefix)\(kind.rawValue)_cents"
        }.joined(separator: ", ")
    }

    /// Pages through `select` (which names `created_key` and `id_key`, the keyset of `alias`).
    private func export(
        _ select: String, alias: String, columns: [String], batchSize: Int, write: (String) throws -> Void
    ) async throws -> Int {
        try write(CSVText.text([columns]))
        var count = 0
        var after: (at: String, id: UUID)?
        while true {
            var query = FilteredQuery(select)
            if let after { query.filter("(\(alias).created_at, \(alias).id) > ({}::timestamptz, {})", after.at, after.id) }
            let rows = try await database.reading { connection in
                try await connection.run(query.ordered(by: "\(alias).created_at, \(alias).id", limit: batchSize), logger: logger)
                    .records { row in
                        let fields = try columns.map { try row.value($0, as: String?.self) ?? "" }
                        return (
                            fields: fields, at: try row.value("created_key", as: String.self), id: try row.value("id_key", as: UUID.self)
                        )
                    }
            }
            guard let last = rows.last else { return count }
            try write(CSVText.text(rows.map(\.fields)))
            count += rows.count
            after = (last.at, last.id)
        }
    }
}
