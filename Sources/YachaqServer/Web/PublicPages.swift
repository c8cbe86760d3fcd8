import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqWords
import YachaqStore

/// The pages anyone may open: the landing page, the search of published profiles and a
/// profile, sign-in and sign-out, the language switch, the stylesheet.
struct PublicPages {
    let actions: Actions
    let kit: PageKit
    let reference: ReferenceData
    /// Proxies whose X-Forwarded-For names the client whose failed sign-ins are counted.
    let trustedProxies: Set<String>

    func addRoutes(to pages: RouterGroup<AppRequestContext>, stylesheet router: Router<AppRequestContext>) {
        router.get("/static/yachaq.css") { request, _ in
            // The same for everyone: a day in any cache.
            var response = PageKit.respond(
                kit.stylesheet, type: "text/css; charset=utf-8", cache: "public, max-age=86400", gzip: request.acceptsGzip)
            PageMiddleware.secure(&response.headers)
            return response
        }
        pages.get("/") { _, context in
            try kit.render(.landing, NoValues(), context: context)
        }
        pages.get("/sign-in") { request, context in
            try signInPage(context, next: request.pageQuery("next"))
        }
        pages.post("/sign-in") { request, context in
            try await signIn(request, context)
        }
        pages.post("/sign-out") { _, context in
            if let token = context.token { try await actions.signOut(token: token) }
            var response = seeOther("/")
            response.setCookie(PageCookies.cookie(PageMiddleware.sessionCookie, "", context: context, maxAge: 0))
            response.setCookie(PageCookies.cookie(PageMiddleware.csrfCookie, PageMiddleware.newToken(), context: context))
            return response
        }
        pages.post("/language") { _, context in
            let form = context.page.form
            guard let chosen = form["language"].flatMap(PageLanguage.init(rawValue:)) else {
                throw Problem.validation(field: "language", "es, qu or en")
            }
            if let identity = context.identity, let remembered = DisplayLanguage(rawValue: chosen.rawValue) {
                try await actions.chooseLanguage(remembered, by: identity)
            }
            var response = seeOther(PageCookies.localPath(form["back"]) ?? "/")
            response.setCookie(PageCookies.cookie(PageMiddleware.languageCookie, chosen.rawValue, context: context, maxAge: 365 * 86400))
            return response
        }
        pages.get("/talents") { request, context in
            try await search(request, context)
        }
        pages.get("/talents/{id}") { _, context in
            try await profile(try context.parameters.requireID("id"), context)
        }
    }

    private func signInPage(_ context: AppRequestContext, next: String?, error: String? = nil, login: String? = nil) throws -> Response {
        let view = SignInView(
            next: PageCookies.localPath(next) ?? "/home", error: error.map { kit.text($0, context.page.language) }, typedLogin: login ?? "")
        return try kit.render(.signIn, view, context: context, status: error == nil ? .ok : .unauthorized)
    }

    /// A new session on every sign-in (never one the browser brought: no fixation), and a new
    /// CSRF token with it.
    private func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = context.page.form
        let login = form["login"] ?? "", next = form["next"]
        let client = ClientAddress.of(request, peer: context.peerAddress, trustedProxies: trustedProxies)
        let signedIn: SignIn.Session
        do {
            signedIn = try await actions.signIn(
                login: login, password: form.pairs.first { $0.name == "password" }?.value ?? "", from: client)
        } catch let refusal as SignIn.Refusal {
            let key = refusal == .wrongCredentials ? "sign_in.wrong" : "sign_in.too_many"
            return try signInPage(context, next: next, error: key, login: login)
        }
        var response = seeOther(PageCookies.localPath(next) ?? "/home")
        let lifetime = Int(actions.signIn.sessionLifetime.components.seconds)
        response.setCookie(PageCookies.cookie(PageMiddleware.sessionCookie, signedIn.token, context: context, maxAge: lifetime))
        response.setCookie(PageCookies.cookie(PageMiddleware.csrfCookie, PageMiddleware.newToken(), context: context))
        if request.cookies[PageMiddleware.languageCookie] == nil {
            let remembered = signedIn.user.displayLanguage.rawValue
            response.setCookie(PageCookies.cookie(PageMiddleware.languageCookie, remembered, context: context, maxAge: 365 * 86400))
        }
        return response
    }

    /// Published profiles by district (typed, then picked from the list it finds), skill and
    /// language, nearest first.
    private func search(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let words = PageWords(kit: kit, language: context.page.language, reference: reference)
        let place = request.pageQuery("place"), ubigeo = request.pageQuery("district")
        let skill = request.pageQuery("skill"), spoken = request.pageQuery("language")
        var view = TalentsView(place: place ?? "")
        var search = ProviderSearch()
        search.limit = Self.talentsPerPage
        search.cursor = request.pageQuery("after")
        if let place {
            view.districts = try await DistrictPicker.matches(place, chosen: ubigeo, search: actions.searchDistricts)
            // Said beside the field, not shown as everyone in Peru.
            if view.districts.isEmpty, ubigeo == nil { view.districtError = words("talents.place_not_found", ["place": place]) }
        }
        if let ubigeo {
            if let district = Ubigeo(ubigeo).flatMap({ reference.district($0) }) {
                search.near = (district.latitude, district.longitude)
                view.districtName = "\(district.district), \(district.province), \(district.department)"
            } else {
                view.districtError = words("error.field.district")
            }
        }
        search.skill = skill.flatMap { words.reference.skill($0) == nil ? nil : $0 }
        search.language = spoken.flatMap { words.reference.language($0) == nil ? nil : $0 }
        view.skills = words.skillChoices(Set([search.skill].compactMap { $0 }))
        view.spoken = words.languageChoices(Set([search.language].compactMap { $0 }))
        // A place that names nothing finds nobody (everyone in Peru would be no answer).
        let hits =
            view.districtError == nil ? try await actions.searchProviders(search, by: context.identity) : Page(items: [], nextCursor: nil)
        view.results = hits.items.map { hit in
            var card = words.card(hit.provider.withoutPrivateFields)
            card.distance = hit.distanceKm.map { words("card.distance", ["km": $0.fixed(0)]) }
            return card
        }
        // Where these results sit in the whole list, and the way to the next ones.
        let first = (request.pageQuery("from").flatMap(Int.init).map { min(max($0, 1), 1_000_000) } ?? 1)
        if !hits.items.isEmpty {
            view.shown = words("talents.shown", ["from": String(first), "to": String(first + hits.items.count - 1)])
        }
        if let next = hits.nextCursor {
            var query = [("place", place), ("district", ubigeo), ("skill", search.skill), ("language", search.language)]
                .compactMap { name, value in value.map { (name, $0) } }
            query += [("after", next), ("from", String(first + hits.items.count))]
            view.next =
                "/talents?"
                + query.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                .joined(separator: "&")
        }
        return try kit.render(.talents, view, context: context)
    }

    static let talentsPerPage = 30

    /// A profile as the reader may see it (published, or the technician's own, or staff's);
    /// 404 otherwise, as the API does.
    private func profile(_ id: UUID, _ context: AppRequestContext) async throws -> Response {
        let provider = try await actions.readProvider(id, by: context.identity)
        let words = PageWords(kit: kit, language: context.page.language, reference: reference)
        let tree = try await actions.providerLineage(of: provider, by: context.identity)
        let view = ProfileView(
            provider: words.card(provider, rating: try await actions.providerRatings(of: provider)),
            certifications: provider.certifications.map {
                .init(
                    skill: words.skill($0.skill), issued: words.date($0.issuedOn), until: $0.validUntil.map(words.date), expired: $0.expired
                )
            },
            trainers: tree.trainers.filter { $0.depth == 1 }.map { LineageLine($0, words) },
            trainees: tree.trainees.filter { $0.depth == 1 }.map { LineageLine($0, words) }, own: context.identity?.providerID == id)
        return try kit.render(.profile, view, context: context)
    }
}

/// The sign-in form, with why it was refused and the login as typed.
struct SignInView: PageView {
    let next: String
    let error: String?
    let typedLogin: String
}

/// The public search: the place typed and the districts it found, the filters, and a page
/// of cards.
struct TalentsView: PageView {
    let place: String
    var districts: [DistrictChoice] = []
    var districtError: String?
    var districtName: String?
    var skills: [Choice] = []
    var spoken: [Choice] = []
    var results: [ProviderCard] = []
    var shown: String?
    var next: String?

    init(place: String) { self.place = place }
}

/// The cookies and redirect targets of the pages.
enum PageCookies {
    /// A cookie of the pages: HttpOnly, SameSite=Lax, for the whole site, Secure over TLS.
    static func cookie(_ name: String, _ value: String, context: AppRequestContext, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: context.page.secure, httpOnly: true, sameSite: .lax)
    }

    /// A path of this site to go back to; nil for anything else (another site, `//host`, a
    /// scheme), so no form can send a reader away.
    static func localPath(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"), text.count <= 300,
            text.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 })
        else { return nil }
        return text
    }
}

extension Request {
    /// `Accept-Encoding` names gzip (and does not refuse it with q=0).
    var acceptsGzip: Bool {
        (headers[.acceptEncoding] ?? "").split(separator: ",").contains { coding in
            let parts = coding.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            return parts.first == "gzip"
                && !parts.dropFirst().contains { $0 == "q=0" || $0 == "q=0.0" || $0 == "q=0.00" || $0 == "q=0.000" }
        }
    }

    /// A query parameter of a page's GET form: trimmed, nil when empty, absent or unusable
    /// (forms send empty fields; a NUL or a novel is nobody's search).
    func pageQuery(_ name: String) -> String? {
        guard let value = uri.queryParameters[Substring(name)].map({ String($0).trimmed }), !value.isEmpty, value.count <= 200,
            !value.utf8.contains(0)
        else { return nil }
        return value
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
