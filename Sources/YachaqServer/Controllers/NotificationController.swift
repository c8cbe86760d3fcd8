import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqStore
import YachaqWords

/// `GET /v1/notifications` and `GET`/`PUT /v1/users/me/contact`: what Yachaq told the caller,
/// in the caller's language, and how the caller is reached.
struct NotificationController {
    let actions: Actions
    let translations: Translations
    let reference: ReferenceData

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/notifications") { request, context -> Page<UserNotification> in
            let identity = try context.signedIn()
            let (cursor, limit) = (try request.cursor(), try request.pageLimit())
            let language = try await actions.readContact(by: identity).language
            var page = try await actions.listNotifications(after: cursor, limit: limit, by: identity)
            let words = Words(translations, language: PageLanguage(rawValue: language.rawValue) ?? .es, reference: reference)
            for index in page.items.indices { page.items[index].text = words.notification(page.items[index]) }
            return page
        }
        group.get("/users/me/contact") { _, context -> ContactSettings in
            try await actions.readContact(by: try context.signedIn())
        }
        group.put("/users/me/contact") { request, context -> ContactSettings in
            let identity = try context.signedIn()
            let input = try await request.decodeJSON(as: ContactInput.self, context: context)
            return try await actions.changeContact(input, by: identity)
        }
    }
}

extension ContactSettings: ResponseEncodable {}
