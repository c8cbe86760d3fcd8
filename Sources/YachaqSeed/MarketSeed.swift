import Foundation
import PostgresNIO
import YachaqDomain
import YachaqStore

/// A national market for report benchmarks (`yachaq seed --contracts N`), written with COPY
/// over the registry's providers: 300 buying organisations of every kind, contracts in the
/// technicians' own districts from 2015 on, in every status, with their funding lines (a
/// public transfer and the community's cash, some with the municipality), transitions,
/// about five payments each and the ratings of ended work.
///
/// Triggers are off while it copies (`session_replication_role = replica`, which needs a
/// superuser: the embedded cluster's user is one), so what they keep is written directly
/// and consistently: the paid totals of contracts and lines add up from the payments, the
/// funding from the lines; the match profiles are refreshed at the end.
public struct MarketSeed: Sendable {
    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Adds `count` contracts; returns how many the market has afterwards.
    public func contracts(_ count: Int, seed: UInt64 = 2_026_011, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int
    {
        var random = SeededRandom(seed: seed)
        var providers: [(id: String, ubigeo: String)] = []
        for try await (id, ubigeo) in try await database.query(
            "SELECT id::text, home_ubigeo FROM providers WHERE status = 'active' ORDER BY id"
        )
        .decode((String, String).self) {
            providers.append((id, ubigeo))
        }
        guard !providers.isEmpty else { throw StoreError.conflict("Seed providers first (yachaq seed --providers N).") }
        let buyers = try await organizations(near: providers.map(\.ubigeo), random: &random)
        let batch = 20_000
        for offset in stride(from: 0, to: count, by: batch) {
            var rows = Rows()
            for _ in 0..<min(batch, count - offset) {
                rows.add(provider: random.pick(providers), buyer: random.pick(buyers), random: &random)
            }
            try await database.withTransaction(logger: logger) { connection in
                // No rows, so nothing can fail unseen after them.
                _ = try await connection.query("SET LOCAL session_replication_role = replica", logger: logger)
                for (table, columns, text) in rows.tables { try await copy(text, into: table, columns, on: connection) }
                let added = try AuditChange(
                    "seed", entity: "contracts", id: "benchmark", after: ["contracts": rows.contracts, "seed": Int(clamping: seed)])
                try await AuditTrail.write(added, actor: nil, on: connection, logger: logger)
            }
            progress(offset + rows.contracts, count)
        }
        try await requests(seed: seed)
        try await database.query("SELECT refresh_match_profiles(array_agg(id)) FROM providers")
        try await database.query("VACUUM ANALYZE")
        return try await database.query("SELECT count(*)::int FROM contracts").collect().first?.decode(Int.self) ?? 0
    }

    /// The requests behind the market: three contracts in ten were posted first as a request
    /// of the buyer (5 to 60 days before the work, awarded when the contract was signed), and
    /// one more open request in 2026 for every fifty contracts. Chosen by the contracts' ids
    /// and `seed`, so the same market gets the same requests. Written in SQL, triggers off as
    /// for the contracts, with the work point the trigger would set.
    private func requests(seed: UInt64) async throws {
        let salt = String(seed)
        try await database.withTransaction(logger: logger) { connection in
            _ = try await connection.query("SET LOCAL session_replication_role = replica", logger: logger)
            _ = try await connection.query(
                """
                CREATE TEMPORARY TABLE seeded_requests ON COMMIT DROP AS
                SELECT c.id AS contract_id, gen_random_uuid() AS request_id, c.organization_id, c.provider_id, c.ubigeo, c.period,
                       c.amount_cents, c.status, 5 + abs(hashtext(c.id::text || \(salt))) % 56 AS days_before
                FROM contracts c
                WHERE c.title = 'Trabajo de referencia' AND c.request_id IS NULL AND abs(hashtext(\(salt) || c.id::text)) % 10 < 3
                """, logger: logger)
            _ = try await connection.query(
                """
                INSERT INTO service_requests (id, organization_id, title, ubigeo, period, budget_cents, status, created_at, updated_at,
                                              work_point)
                SELECT r.request_id, r.organization_id, 'Pedido de referencia', r.ubigeo, r.period, r.amount_cents,
                       CASE WHEN r.status IN ('signed', 'active', 'completed', 'terminated') THEN 'awarded'
                            WHEN r.status = 'cancelled' THEN 'cancelled' ELSE 'closed' END,
                       (lower(r.period) - r.days_before)::timestamptz, (lower(r.period) - r.days_before)::timestamptz,
                       ll_to_earth(d.latitude, d.longitude)
                FROM seeded_requests r JOIN districts d ON d.ubigeo = r.ubigeo
                """, logger: logger)
            _ = try await connection.query(
                """
                INSERT INTO request_skills (request_id, skill_code)
                SELECT r.request_id, s.skill_code FROM seeded_requests r
                CROSS JOIN LATERAL (SELECT skill_code FROM provider_skills WHERE provider_id = r.provider_id
                                    ORDER BY skill_code LIMIT 1) s
                """, logger: logger)
            _ = try await connection.query(
                "UPDATE contracts c SET request_id = r.request_id FROM seeded_requests r WHERE c.id = r.contract_id", logger: logger)
            _ = try await connection.query(
                """
                INSERT INTO service_requests (organization_id, title, ubigeo, period, budget_cents, status, created_at, updated_at,
                                              work_point)
                SELECT r.organization_id, 'Pedido de referencia', r.ubigeo, daterange('2027-03-01', '2027-06-30', '[]'),
                       r.amount_cents, 'open', '2026-06-01'::timestamptz + (r.days_before || ' days')::interval,
                       '2026-06-01'::timestamptz + (r.days_before || ' days')::interval, ll_to_earth(d.latitude, d.longitude)
                FROM seeded_requests r JOIN districts d ON d.ubigeo = r.ubigeo
                WHERE abs(hashtext(r.request_id::text)) % 15 = 0
                """, logger: logger)
            let added = try AuditChange("seed", entity: "service_requests", id: "benchmark", after: ["seed": Int(clamping: seed)])
            try await AuditTrail.write(added, actor: nil, on: connection, logger: logger)
        }
    }

    /// 300 organisations (200 communities, 40 associations, 50 municipalities, 10 agencies) in
    /// districts where talents live, made once.
    private func organizations(near districts: [String], random: inout SeededRandom) async throws -> [(id: String, kind: String)] {
        var existing: [(id: String, kind: String)] = []
        for try await (id, kind) in try await database.query(
            "SELECT id::text, kind FROM organizations WHERE name LIKE 'Mercado de referencia %'"
        )
        .decode((String, String).self) {
            existing.append((id, kind))
        }
        guard existing.isEmpty else { return existing }
        var made: [(id: String, kind: String)] = [], text = ""
        for (kind, count) in [("community", 200), ("association", 40), ("municipality", 50), ("agency", 10)] {
            for index in 1...count {
                let id = UUID().uuidString.lowercased()
                made.append((id, kind))
                text += "\(id)\tMercado de referencia \(kind) \(index)\t\(kind)\t\(random.pick(districts))\n"
            }
        }
        try await database.withTransaction(logger: logger) { connection in
            try await copy(text, into: "organizations", ["id", "name", "kind", "ubigeo"], on: connection)
        }
        return made
    }

    private func copy(_ text: String, into table: String, _ columns: [String], on connection: PostgresConnection) async throws {
        guard !text.isEmpty else { return }
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            try await writer.write(ByteBuffer(string: text))
        }
    }

    /// One batch's rows of every table, as COPY text.
    struct Rows {
        var contracts = 0
        var contractRows = "", funding = "", transitions = "", payments = "", ratings = ""

        var tables: [(String, [String], String)] {
            [
                (
                    "contracts",
                    [
                        "id", "organization_id", "provider_id", "title", "ubigeo", "period", "amount_cents", "exclusive", "families",
                        "status",
                        "paid_cents",
                    ], contractRows
                ),
                (
                    "contract_funding", ["id", "contract_id", "source_organization_id", "kind", "amount_cents", "paid_cents", "position"],
                    funding
                ),
                ("contract_transitions", ["contract_id", "from_status", "to_status", "reason", "at"], transitions),
                (
                    "payments",
                    ["contract_id", "funding_id", "amount_cents", "paid_on", "method", "payer_organization_id", "created_at"], payments
                ),
                (
                    "ratings",
                    [
                        "contract_id", "provider_id", "organization_id", "technical", "communication", "punctuality", "results",
                        "would_hire_again",
                    ], ratings
                ),
            ]
        }

        static let paths: [(status: String, weight: Int, steps: [String])] = [
            ("completed", 70, ["signed", "active", "completed"]), ("terminated", 5, ["signed", "active", "terminated"]),
            ("cancelled", 5, ["cancelled"]), ("active", 10, ["signed", "active"]), ("signed", 5, ["signed"]), ("draft", 5, []),
        ]

        mutating func add(provider: (id: String, ubigeo: String), buyer: (id: String, kind: String), random: inout SeededRandom) {
            contracts += 1
            let id = UUID().uuidString.lowercased()
            let start = Self.firstDay + random.int(0...4_320)
            let days = random.int(10...120)
            let amount = Int64(random.int(500...20_000)) * 100
            let path = Self.paths[Self.pick(random.int(0..<100))]
            // A public transfer and the buyer's own share, some with a municipality.
            var lines: [(kind: String, source: String, amount: Int64)] = []
            if buyer.kind == "municipality" || random.chance(0.3) {
                let municipal = amount * 3 / 10, cash = amount * 2 / 10
                lines = [
                    ("public_transfer", buyer.id, amount - municipal - cash), ("municipal", buyer.id, municipal),
                    ("counterpart_cash", buyer.id, cash),
                ]
            } else {
                let cash = amount * 3 / 10
                lines = [("public_transfer", buyer.id, amount - cash), ("counterpart_cash", buyer.id, cash)]
            }
            let paysShare: Double =
                switch path.status {
                case "completed": 1
                case "terminated": 0.5
                case "active": 0.4
                default: 0
                }
            var paid: Int64 = 0
            for (position, line) in lines.enumerated() {
                let lineID = UUID().uuidString.lowercased()
                let due = Int64((Double(line.amount) * paysShare).rounded(.down))
                // 1–4 instalments a line, 2.45 on average: five payments a contract in all.
                let instalments = due == 0 ? 0 : random.int(1...3) + (random.chance(0.45) ? 1 : 0)
                var left = due
                for instalment in 0..<instalments {
                    let part = instalment == instalments - 1 ? left : due / Int64(instalments)
                    left -= part
                    guard part > 0 else { continue }
                    let day = start + days * (instalment + 1) / instalments
                    let method =
                        line.kind == "counterpart_cash" ? "cash" : line.kind == "municipal" ? "bank_transfer" : "banco_de_la_nacion"
                    payments += "\(id)\t\(lineID)\t\(part)\t\(Self.text(day))\t\(method)\t\(line.source)\t\(Self.text(day))T12:00:00Z\n"
                }
                paid += due
                funding += "\(lineID)\t\(id)\t\(line.source)\t\(line.kind)\t\(line.amount)\t\(due)\t\(position)\n"
            }
            let end = start + days - 1
            let families = random.chance(0.7) ? String(random.int(10...200)) : "\\N"
            contractRows +=
                "\(id)\t\(buyer.id)\t\(provider.id)\tTrabajo de referencia\t\(provider.ubigeo)\t[\(Self.text(start)),\(Self.text(end))]\t"
                + "\(amount)\tfalse\t\(families)\t\(path.status)\t\(paid)\n"
            transitions += "\(id)\t\\N\tdraft\t\\N\t\(Self.text(start))T08:00:00-05:00\n"
            var from = "draft"
            for (index, step) in path.steps.enumerated() {
                let reason = step == "terminated" ? "Dejó el trabajo a medias" : "\\N"
                let day = start + index * days / max(1, path.steps.count)
                transitions += "\(id)\t\(from)\t\(step)\t\(reason)\t\(Self.text(day))T09:00:00-05:00\n"
                from = step
            }
            if (path.status == "completed" || path.status == "terminated") && random.chance(0.6) {
                let base = path.status == "completed" ? 3 : 1
                ratings +=
                    "\(id)\t\(provider.id)\t\(buyer.id)\t\(random.int(base...5))\t\(random.int(base...5))\t\(random.int(base...5))\t"
                    + "\(random.int(base...5))\t\(random.chance(path.status == "completed" ? 0.85 : 0.2))\n"
            }
        }

        /// 2015-01-01, in days since 1970-01-01: dates here are day numbers.
        static let firstDay = 16_436

        static func pick(_ roll: Int) -> Int {
            var total = 0
            for (index, path) in paths.enumerated() {
                total += path.weight
                if roll < total { return index }
            }
            return 0
        }

        /// A day number as 2026-03-01: five million payments' dates in integer arithmetic, not
        /// through a calendar.
        static func text(_ day: Int) -> String { CalendarDay(daysSince1970: day).iso }
    }
}
