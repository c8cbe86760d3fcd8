import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import YachaqTestSupport

/// Every page form, sent what a hostile or broken client sends: never a 500, never a trap,
/// and the service answers the next request.
@Suite struct HostilePageInputTests {
    static let values = [
        "", "%", "%ZZ", "\u{0}", "-9223372036854775808", "9223372036854775807", "99999999999999999999", "1e400", "NaN", "-1",
        "0,001", "1.2.3", "S/ 12,50", "9999-99-99", "0000-00-00", "2027-02-30", "' OR 1=1 --", "{{t.nav.home}}", "<script>x</script>",
        "\u{D7FF}\u{E000}", String(repeating: "é", count: 3000), "00000000-0000-0000-0000-000000000000|public_transfer", "|", "||",
    ]

    static let forms: [(route: String, fields: [String])] = [
        (
            "/new-request",
            [
                "title", "description", "place", "district", "skill", "language", "starts_on", "ends_on", "budget", "families",
                "gender", "action",
            ]
        ),
        (
            "/requests/{A}/edit",
            [
                "title", "description", "place", "district", "skill", "language", "starts_on", "ends_on", "budget", "families",
                "gender", "action",
            ]
        ),
        ("/requests/{A}/invite", ["provider_id"]), ("/requests/{A}/transitions", ["to", "reason"]),
        ("/applications/{application}", ["status", "held_on", "panel", "notes", "reason"]),
        (
            "/requests/{A}/contract",
            [
                "application", "starts_on", "ends_on", "amount", "families", "fund_public_transfer",
                "source_public_transfer", "fund_counterpart_cash", "milestone_title_0", "milestone_due_0",
            ]
        ),
        ("/contracts/{contract}/transitions", ["to", "reason"]),
        ("/contracts/{contract}/milestones/{milestone}", ["status", "on", "note"]),
        ("/contracts/{contract}/payments", ["line", "amount", "paid_on", "method", "reference", "idempotency"]),
        ("/contracts/{completed}/rating", ["technical", "communication", "punctuality", "results", "again", "comment"]),
        ("/language", ["language", "back"]), ("/sign-in", ["login", "password", "next"]),
        ("/contact", ["mobile", "sms", "message_language"]), ("/applications/{application}/answer", ["answer", "request", "confirmed"]),
    ]

    /// Staff's forms, sent by an admin (who may do everything they take).
    static let staffForms: [(route: String, fields: [String])] = [
        ("/staff/providers/{provider}/reviews", ["period_from", "period_to", "summary", "decision", "reason", "training"]),
        ("/staff/organizations", ["name", "kind", "ubigeo", "tax_id", "contact"]),
        ("/staff/organizations/{organization}", ["name", "ubigeo", "tax_id", "contact"]),
        ("/staff/organizations/{organization}/disabled", ["disabled"]),
        ("/staff/organizations/{organization}/users", ["login", "role", "language"]), ("/staff/users", ["login", "language"]),
    ]

    @Test(arguments: [Caller.community, .admin])
    func noFormValueBreaksAPage(caller: Caller) async throws {
        let world = try await World.make()
        try await withApp(on: world.endpoint) { client in
            var browser = Browser(client, language: "qu", session: world.tokens[caller])
            for form in caller == .admin ? Self.staffForms : Self.forms {
                let path = form.route.replacingOccurrences(of: "{A}", with: world.requestA.id.uuidString)
                    .replacingOccurrences(of: "{application}", with: world.applicationA.id.uuidString)
                    .replacingOccurrences(of: "{contract}", with: world.contractA.id.uuidString)
                    .replacingOccurrences(of: "{milestone}", with: world.contractA.milestones[0].id.uuidString)
                    .replacingOccurrences(of: "{completed}", with: world.completedA.id.uuidString)
                    .replacingOccurrences(of: "{provider}", with: world.unpublishedProvider.id.uuidString)
                    .replacingOccurrences(of: "{organization}", with: world.communityB.id.uuidString)
                for (index, value) in Self.values.enumerated() {
                    try await browser.get("/home")
                    // Every field gets the value at once, then each field alone.
                    for fields in [form.fields.map { ($0, value) }, [(form.fields[index % form.fields.count], value)]] {
                        let response = try await browser.post(path, fields)
                        #expect(response.status.code < 500, "\(path) \(fields.first?.0 ?? "") = \(value.prefix(30)): \(response.status)")
                        // A form drawn again (not the page of a request no form could send).
                        if response.status == .unprocessableContent, !browser.page.contains(#"<h1 id="problem">"#) {
                            Self.expectASummaryLinkingToEachError(browser.page, path)
                        }
                        try await browser.get("/home")
                    }
                }
            }
            // Bodies that are no form at all, or far too large.
            for body in ["%", "a=%E0%A4%A", "csrf", String(repeating: "a=b&", count: 20_000)] {
                var headers = HTTPFields([.init(name: .contentType, value: "application/x-www-form-urlencoded")])
                headers[.cookie] = "yachaq_session=\(world.tokens[.community] ?? "")"
                let response = try await client.execute(
                    uri: "/new-request", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect([400, 403, 413].contains(response.status.code), "\(body.prefix(20)): \(response.status)")
            }
            #expect(try await browser.get("/home").status == .ok)
        }
    }

    /// A refused form has the error summary on top, and each of its links reaches a message
    /// on the page (GOV.UK: every error listed, each a link to its field).
    static func expectASummaryLinkingToEachError(_ page: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(page.contains(#"class="error-summary""#), "\(path): no error summary", sourceLocation: sourceLocation)
        let links = Browser.all(##"<li><a href="#([^"]+)">"##, in: page)
        for anchor in links {
            #expect(
                page.contains(#"id="\#(anchor)""#), "\(path): the summary links to #\(anchor), which is not on the page",
                sourceLocation: sourceLocation)
        }
    }
}
