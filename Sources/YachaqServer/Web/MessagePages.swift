import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqStore
import YachaqWords

/// Everyone's own pages of messages: what Yachaq told them (`/messages`) and how they are
/// reached (`/contact`: a mobile, SMS or not, the language of the messages).
struct MessagePages {
    let actions: Actions
    let kit: PageKit
    let reference: ReferenceData

    static let perPage = 20

    func addRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("/messages") { request, context in
            try await messages(after: request.pageQuery("after"), context)
        }
        pages.get("/contact") { _, context in
            let settings = try await actions.readContact(by: try context.signedIn())
            let typed = ["mobile": settings.phone.flatMap(PeruvianMobile.init)?.national ?? ""]
            return try contactForm(context, typed: typed, sms: settings.sms, language: settings.language)
        }
        pages.post("/contact") { _, context in
            let form = context.page.form
            let input = ContactInput(phone: form["mobile"] ?? "", sms: form["sms"] != nil, language: form["message_language"])
            do {
                _ = try await actions.changeContact(input, by: try context.signedIn())
                return seeOther("/contact", done: "contact_saved")
            } catch {
                guard let errors = PageForms.fieldErrors(of: error) else { throw error }
                let fields = ["phone": "mobile", "language": "message_language"]
                return try contactForm(
                    context, typed: ["mobile": form["mobile"] ?? ""], sms: input.sms ?? false,
                    language: form["message_language"].flatMap(DisplayLanguage.init(rawValue:)),
                    errors: PageForms.messages(errors, fields: fields, kit: kit, language: context.page.language))
            }
        }
    }

    private func messages(after cursor: String?, _ context: AppRequestContext) async throws -> Response {
        let page = try await actions.listNotifications(after: cursor, limit: Self.perPage, by: try context.signedIn())
        let words = PageWords(kit: kit, language: context.page.language, reference: reference)
        let view = MessagesView(
            messages: page.items.map { MessagesView.Line($0, words) }, older: page.nextCursor.map { "/messages?after=\($0)" })
        return try kit.render(.messages, view, context: context)
    }

    private func contactForm(
        _ context: AppRequestContext, typed: [String: String], sms: Bool, language: DisplayLanguage?, errors: [String: String] = [:]
    ) throws -> Response {
        let languages = PageLanguage.allCases.map { choice in
            Choice(code: choice.rawValue, name: PageKit.names[choice] ?? choice.rawValue, checked: choice.rawValue == language?.rawValue)
        }
        let view = ContactView(typed: typed, errors: errors, sms: sms, languages: languages)
        return try kit.render(.contact, view, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }
}

struct MessagesView: PageView {
    struct Line: PageValues {
        let text: String
        /// When, for machines (`datetime`) and as people read it.
        let at: String
        let when: String
        /// The request it is about, when there is one.
        let link: String?

        init(_ notification: UserNotification, _ words: PageWords) {
            text = words.notification(notification)
            at = notification.createdAt.formatted(.iso8601)
            when = words.moment(notification.createdAt)
            link = notification.params["request"].flatMap(UUID.init(uuidString:)).map { "/requests/\($0.page)" }
        }
    }

    let messages: [Line]
    let older: String?
}

struct ContactView: PageView {
    let typed: [String: String]
    let errors: [String: String]
    let sms: Bool
    let languages: [Choice]
}
