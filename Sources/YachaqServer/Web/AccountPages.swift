import Foundation
import Hummingbird
import YachaqActions
import YachaqDomain
import YachaqStore

/// Organisations and user accounts, for staff and admins: create, edit, disable and enable,
/// and reset a password (shown once, never stored readable). Staff do not touch admins'
/// accounts (`Policy.createUser(role:)` decides, as for `POST /v1/users`).
struct AccountPages {
    let actions: Actions
    let kit: PageKit
    let reference: ReferenceData

    func addRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("/staff/organizations") { request, context in
            try context.require(.createOrganization)
            return try await list(request.pageQuery("q"), context)
        }
        pages.post("/staff/organizations") { _, context in
            let identity = try context.signedIn()
            let form = context.page.form
            do {
                let draft = try Self.organization(form, kind: form["kind"] ?? "").checked(against: reference.codes)
                let created = try await actions.registerOrganization(draft, by: identity)
                return seeOther("/staff/organizations/\(created.id.page)", done: "organization_created")
            } catch {
                guard let errors = PageForms.fieldErrors(of: error) else { throw error }
                return try await list(nil, context, errors: messages(errors, context), typed: form)
            }
        }
        pages.get("/staff/organizations/{id}") { _, context in
            try await organizationPage(try existing(context), context)
        }
        pages.post("/staff/organizations/{id}") { _, context in
            let found = try await existing(context)
            let form = context.page.form
            do {
                let draft = try Self.organization(form, kind: found.kind.rawValue).checked(against: reference.codes)
                _ = try await actions.editOrganization(found.id, draft, by: try context.signedIn())
                return seeOther("/staff/organizations/\(found.id.page)", done: "organization_saved")
            } catch {
                guard let errors = PageForms.fieldErrors(of: error) else { throw error }
                return try await organizationPage(found, context, errors: messages(errors, context), typed: form)
            }
        }
        pages.post("/staff/organizations/{id}/disabled") { _, context in
            let found = try await existing(context)
            _ = try await actions.disableOrganization(
                found.id, disabled: context.page.form["disabled"] == "yes", by: try context.signedIn())
            return seeOther("/staff/organizations/\(found.id.page)")
        }
        pages.post("/staff/organizations/{id}/users") { _, context in
            let found = try await existing(context)
            return try await createUser(in: found, context)
        }
        pages.get("/staff/users") { _, context in
            try context.require(.createUser(role: nil))
            return try await accountsPage(context)
        }
        pages.post("/staff/users") { _, context in
            try await createUser(in: nil, context)
        }
        pages.post("/staff/users/{id}/disabled") { _, context in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let user = try await actions.disableAccount(id, disabled: context.page.form["disabled"] == "yes", by: identity)
            return seeOther(Self.home(of: user))
        }
        pages.post("/staff/users/{id}/password") { _, context in
            let (id, identity) = (try context.parameters.requireID("id"), try context.signedIn())
            let (user, password) = try await actions.resetPassword(id, by: identity)
            let shown = NewPassword(login: user.login, password: password)
            if let organization = user.organizationID {
                return try await organizationPage(try await actions.readOrganization(organization, by: identity), context, password: shown)
            }
            return try await accountsPage(context, password: shown)
        }
    }

    static func home(of user: User) -> String {
        user.organizationID.map { "/staff/organizations/\($0.page)" } ?? "/staff/users"
    }

    static func organization(_ form: FormFields, kind: String) -> NewOrganization {
        NewOrganization(name: form["name"] ?? "", kind: kind, ubigeo: form["ubigeo"] ?? "", taxID: form["tax_id"], contact: form["contact"])
    }

    private func existing(_ context: AppRequestContext) async throws -> Organization {
        let id = try context.parameters.requireID("id")
        try context.require(.createOrganization)  // staff's pages, whoever the organisation is
        return try await actions.readOrganization(id, by: try context.signedIn())
    }

    private func messages(_ errors: [FieldError], _ context: AppRequestContext) -> [String: String] {
        PageForms.messages(errors, fields: ["ubigeo": "district"], kit: kit, language: context.page.language)
    }

    private func list(_ search: String?, _ context: AppRequestContext, errors: [String: String] = [:], typed: FormFields? = nil)
        async throws -> Response
    {
        let found = try await actions.listOrganizations(search: search, after: nil, limit: 100, by: try context.signedIn()).items
        let view = OrganizationsView(
            q: search ?? "", errors: errors, typed: typed?.typed ?? [:], organizations: found.map(OrganizationLine.init),
            kinds: OrganizationKind.allCases.map {
                Choice(code: $0.rawValue, name: kit.text("buyer.\($0.rawValue)", context.page.language))
            })
        return try kit.render(.staffOrganizations, view, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    private func organizationPage(
        _ found: Organization, _ context: AppRequestContext, errors: [String: String] = [:], typed: FormFields? = nil,
        password: NewPassword? = nil
    ) async throws -> Response {
        let line = OrganizationLine(found)
        let view = OrganizationView(
            id: line.id, name: line.name, disabled: line.disabled, kind: kit.text("buyer.\(found.kind.rawValue)", context.page.language),
            errors: errors,
            typed: typed?.typed ?? [
                "name": found.name, "ubigeo": found.ubigeo, "tax_id": found.taxID ?? "", "contact": found.contact ?? "",
            ],
            users: try await actions.listAccounts(of: found.id, by: try context.signedIn()).map { account(of: $0, context) },
            roles: Role.allCases.filter { role in
                role.organizationKinds?.contains(found.kind) == true && Policy.decide(context.identity, .createUser(role: role)) == .allowed
            }.map { Choice(code: $0.rawValue, name: kit.text("role.\($0.rawValue)", context.page.language)) }, newPassword: password)
        return try kit.render(.staffOrganization, view, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    private func accountsPage(_ context: AppRequestContext, errors: [String: String] = [:], password: NewPassword? = nil)
        async throws -> Response
    {
        let accounts = try await actions.listAccounts(of: nil, by: try context.signedIn())
        let view = UsersView(
            errors: errors, users: accounts.map { account(of: $0, context) },
            mayCreate: Policy.decide(context.identity, .createUser(role: .admin)) == .allowed, newPassword: password)
        return try kit.render(.staffUsers, view, context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    private func account(of user: User, _ context: AppRequestContext) -> AccountLine {
        AccountLine(
            id: user.id.page, login: user.login, role: kit.text("role.\(user.role.rawValue)", context.page.language),
            disabled: user.disabledAt != nil,
            manage: Policy.decide(context.identity, .createUser(role: user.role)) == .allowed && user.id != context.identity?.userID)
    }

    /// A new account with a generated password, shown once on the page that follows.
    private func createUser(in organization: Organization?, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let form = context.page.form
        let password = NewUser.generatedPassword()
        do {
            let input = NewUser(
                login: form["login"] ?? "", password: password, role: organization == nil ? Role.admin.rawValue : form["role"] ?? "",
                organizationID: organization?.id, providerID: nil, displayLanguage: form["language"])
            let user = try await actions.createAccount(try input.checked(), password: password, by: identity)
            let shown = NewPassword(login: user.login, password: password)
            guard let organization else { return try await accountsPage(context, password: shown) }
            return try await organizationPage(organization, context, password: shown)
        } catch {
            guard let errors = PageForms.fieldErrors(of: error) else { throw error }
            let messages = messages(errors, context)
            guard let organization else { return try await accountsPage(context, errors: messages) }
            return try await organizationPage(organization, context, errors: messages, typed: form)
        }
    }
}

/// A password made for someone, shown once on the page that follows.
struct NewPassword: PageValues {
    let login: String
    let password: String
}

/// An organisation in staff's list.
struct OrganizationLine: PageValues {
    let id: String
    let name: String
    let ubigeo: String
    let disabled: Bool

    init(_ organization: Organization) {
        (id, name, ubigeo, disabled) = (organization.id.page, organization.name, organization.ubigeo, organization.disabledAt != nil)
    }
}

/// A user account, with the steps the reader may take on it.
struct AccountLine: PageValues {
    let id: String
    let login: String
    let role: String
    let disabled: Bool
    let manage: Bool
}

/// The organisations with a search, and the form to register one.
struct OrganizationsView: PageView {
    let q: String
    let errors: [String: String]
    let typed: [String: String]
    let organizations: [OrganizationLine]
    let kinds: [Choice]
}

/// An organisation: its form, its accounts and the form to add one.
struct OrganizationView: PageView {
    let id: String
    let name: String
    let disabled: Bool
    let kind: String
    let errors: [String: String]
    let typed: [String: String]
    let users: [AccountLine]
    let roles: [Choice]
    let newPassword: NewPassword?
}

/// Every account, and the form to add an admin.
struct UsersView: PageView {
    let errors: [String: String]
    let users: [AccountLine]
    let mayCreate: Bool
    let newPassword: NewPassword?
}
