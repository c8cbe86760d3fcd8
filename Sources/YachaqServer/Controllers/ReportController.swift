import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqStore

/// Staff's reports and reviews: the indicators of the market, each provider's scorecard, the
/// reviews they record (admins suspend and reinstate), and the providers' answers. Reviews are
/// the reviewed provider's and staff's to read; to anyone else they do not exist (404).
struct ReportController {
    let actions: Actions
    let reference: ReferenceData

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/reports/indicators") { request, context -> Indicators in
            try context.require(.readReports)  // before the query is read
            return try await actions.readIndicators(try Self.scope(request), by: try context.signedIn())
        }
        group.get("/reports/indicators.csv") { request, context -> Response in
            try context.require(.readReports)
            return Self.csv(try await actions.readIndicators(try Self.scope(request), by: try context.signedIn()))
        }
        group.get("/exports/ocds") { request, context -> Response in
            try context.require(.readReports)
            let (from, to) = try Self.period(request)
            return Self.package(try actions.exportOCDS(by: try context.signedIn()), from: from, to: to, request: request)
        }
        group.get("/reports/needs-look") { request, context -> Page<ProviderNeedingALook> in
            try context.require(.readReports)
            return try await actions.listNeedsALook(after: try request.cursor(), limit: try request.pageLimit(), by: try context.signedIn())
        }
        group.get("/reports/providers.csv") { _, context -> Response in
            try context.require(.readReports)
            return Self.csv(try actions.exportProviderFigures(by: try context.signedIn()))
        }
        group.get("/reports/providers/{id}") { _, context -> ProviderScorecard in
            try context.require(.readReports)  // staff's before anything about the id
            return try await actions.readScorecard(try context.parameters.requireID("id"), by: try context.signedIn())
        }
        group.post("/providers/{id}/reviews") { request, context -> EditedResponse<ProviderReview> in
            let id = try context.parameters.requireID("id")
            // Who may review at all is refused before the body is read.
            try context.require(.reviewProvider(.keep))
            let draft = try await request.decodeDraft(NewReview.self, context: context, codes: reference.codes)
            return EditedResponse(status: .created, response: try await actions.reviewProvider(id, draft, by: try context.signedIn()))
        }
        group.get("/providers/{id}/reviews") { _, context -> Items<ProviderReview> in
            Items(items: try await actions.listReviews(try context.parameters.requireID("id"), by: try context.signedIn()))
        }
        group.post("/reviews/{id}/answer") { request, context -> ProviderReview in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let text = try await request.decodeDraft(ReviewAnswer.self, context: context, codes: reference.codes)
            return try await actions.answerReview(id, text, by: identity)
        }
    }
}

extension ReportController {
    /// The indicators as CSV, with a BOM for spreadsheets.
    static func csv(_ figures: Indicators) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"indicadores.csv\""],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "\u{FEFF}" + CSVText.text(figures.records))))
    }

    /// Every provider's figures as CSV, streamed a page at a time: the registry is never held
    /// whole, nor a connection while the client reads.
    static func csv(_ figures: ProviderFiguresExport) -> Response {
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "\u{FEFF}" + CSVText.text([ProviderFigures.columns])))
            var position: ProviderFiguresExport.Position?
            repeat {
                let page = try await figures.page(after: position)
                try await writer.write(ByteBuffer(string: CSVText.text(page.rows.map(\.record))))
                position = page.next
            } while position != nil
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"tecnicos.csv\""],
            body: body)
    }

    /// The OCDS release package of the period, streamed.
    static func package(_ ocds: OCDSExport, from: CalendarDate?, to: CalendarDate?, request: Request) -> Response {
        let uri = "http://\(request.head.authority ?? "localhost")\(request.uri.string)"
        let body = ResponseBody { writer in
            _ = try await ocds.package(from: from, to: to, uri: uri) {
                try await writer.write(ByteBuffer(string: $0))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: body)
    }

    /// `?department=&province=&district=&from=&to=`.
    static func scope(_ request: Request) throws -> IndicatorScope {
        let (from, to) = try period(request)
        return IndicatorScope(
            department: try request.text("department"), province: try request.text("province"), district: try request.text("district"),
            from: from?.text, to: to?.text)
    }

    /// `?from=&to=`, each a date or absent.
    static func period(_ request: Request) throws -> (from: CalendarDate?, to: CalendarDate?) {
        var check = Validator()
        let from = try request.date("from", check: &check), to = try request.date("to", check: &check)
        try check.finish()
        return (from, to)
    }
}

extension Indicators: ResponseEncodable {}
extension ProviderScorecard: ResponseEncodable {}
extension ProviderReview: ResponseEncodable {}
