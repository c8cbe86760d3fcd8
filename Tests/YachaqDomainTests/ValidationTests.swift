import Foundation
import Testing
import YachaqDomain

@Suite struct ValidationTests {
    @Test func acceptsAndTrimsAGoodOrganization() throws {
        let organization = try NewOrganization(
            name: "  Comunidad Campesina de Chillihuani ", kind: "community", ubigeo: "081206", taxID: "20123456789"
        ).checked(against: .fixture)
        #expect(organization.name == "Comunidad Campesina de Chillihuani")
        #expect(organization.kind == .community && organization.ubigeo.code == "081206")
    }

    @Test func namesEveryBadFieldOfAnOrganization() {
        #expect {
            try NewOrganization(name: "x", kind: "cooperative", ubigeo: "8101", taxID: "123").checked(against: .fixture)
        } throws: { error in
            (error as? InvalidInput)?.errors.map(\.field) == ["name", "kind", "ubigeo", "tax_id"]
        }
    }

    @Test func normalisesTheLogin() throws {
        #expect(try NewUser(login: " Rosa.Quispe ", password: "0123456789", role: "provider").checked().login == "rosa.quispe")
    }

    @Test(arguments: [
        (NewUser(login: "ab", password: "0123456789", role: "admin"), "login"),
        (NewUser(login: "rosa", password: "short", role: "admin"), "password"),
        // Ten spaces, or any whitespace, is no password (issue 27, finding 8).
        (NewUser(login: "rosa", password: String(repeating: " ", count: 10), role: "admin"), "password"),
        (NewUser(login: "rosa", password: " \t \u{3000}\n      ", role: "admin"), "password"),
        (NewUser(login: "rosa", password: "0123456789", role: "mayor"), "role"),
        (NewUser(login: "rosa", password: "0123456789", role: "community"), "organization_id"),
        (NewUser(login: "rosa", password: "0123456789", role: "provider", organizationID: UUID()), "organization_id"),
        (NewUser(login: "rosa", password: "0123456789", role: "staff", providerID: UUID()), "provider_id"),
        (NewUser(login: "rosa", password: "0123456789", role: "admin", displayLanguage: "fr"), "display_language"),
    ])
    func refusesABadUser(_ user: NewUser, field: String) {
        #expect {
            try user.checked()
        } throws: { error in
            (error as? InvalidInput)?.errors.map(\.field) == [field]
        }
    }

    @Test func cursorsRoundTripAndRefuseForgeries() {
        let cursor = Cursor.encode(["comunidad ñuñoa", "9F1C"])
        #expect(Cursor.decode(cursor, count: 2) == ["comunidad ñuñoa", "9F1C"])
        #expect(Cursor.decode(cursor, count: 1) == nil)
        #expect(Cursor.decode("!!!", count: 1) == nil)
    }
}
