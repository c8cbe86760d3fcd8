import Hummingbird
import YachaqDomain
import YachaqStore

/// `/v1/users`: accounts of people who sign in.
struct UserController {
    let store: UserStore

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/users") { request, context -> EditedResponse<User> in
            try context.require(.createUser(role: nil))
            let input = try await request.decodeJSON(as: NewUser.self, context: context)
            let draft = try input.checked()
            try context.require(.createUser(role: draft.role))
            let hash = try await PasswordHasher.hash(input.password)
            return EditedResponse(status: .created, response: try await store.create(draft, passwordHash: hash, actor: context.identity))
        }
        group.get("/users/me") { _, context -> User in
            let identity = try context.signedIn()
            guard let user = try await store.find(identity.userID) else {
                throw Problem(.unauthorized, detail: "This account no longer exists.")
            }
            return user
        }
    }
}

extension User: ResponseEncodable {}
