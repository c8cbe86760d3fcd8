import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqStore

/// `/v1/users`: accounts of people who sign in.
struct UserController {
    let actions: Actions

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("/users") { request, context -> EditedResponse<User> in
            try context.require(.createUser(role: nil))  // before the body is read
            let input = try await request.decodeJSON(as: NewUser.self, context: context)
            let draft = try input.checked()
            let user = try await actions.createAccount(draft, password: input.password, by: try context.signedIn())
            return EditedResponse(status: .created, response: user)
        }
        group.get("/users/me") { _, context -> User in
            let identity = try context.signedIn()
            guard let user = try await actions.readOwnAccount(by: identity) else {
                throw Problem(.unauthorized, detail: "This account no longer exists.")
            }
            return user
        }
    }
}

extension User: ResponseEncodable {}
