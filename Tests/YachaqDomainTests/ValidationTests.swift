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

/// Peruvian mobiles as people write them, kept in E.164; landlines and other countries refused.
@Suite struct PeruvianMobileTests {
    @Test(arguments: [
        ("987654321", "+51987654321"), ("+51 987 654 321", "+51987654321"), ("0051-987-654-321", "+51987654321"),
        ("51987654321", "+51987654321"), ("(+51) 987.654.321", "+51987654321"),
    ])
    func written(_ typed: String, _ kept: String) {
        #expect(PeruvianMobile(typed)?.e164 == kept)
    }

    @Test(arguments: ["", "12345", "012345678", "+51 1 234 5678", "887654321", "9876543210", "+34 612 345 678", "98765432x", "９87654321"])
    func refused(_ typed: String) {
        #expect(PeruvianMobile(typed) == nil)
    }
}

/// Contact settings change field by field; SMS need a number, and a number typed wrong is said once.
@Suite struct ContactInputTests {
    let current = ContactSettings(phone: "+51987654321", sms: true, language: .qu)

    func fields(of input: ContactInput) -> [String] {
        do {
            _ = try input.checked(keeping: current)
            return []
        } catch let invalid as InvalidInput {
            return invalid.errors.map(\.field)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func whatIsLeftOutIsKept() throws {
        #expect(try ContactInput(phone: nil, sms: nil, language: nil).checked(keeping: current) == current)
        let changed = try ContactInput(phone: "912 345 678", sms: nil, language: "es").checked(keeping: current)
        #expect(changed == ContactSettings(phone: "+51912345678", sms: true, language: .es))
    }

    @Test func refusals() {
        #expect(fields(of: ContactInput(phone: "", sms: nil, language: nil)) == ["sms"])  // no number, SMS still wanted
        #expect(fields(of: ContactInput(phone: "12345", sms: true, language: nil)) == ["phone"])
        #expect(fields(of: ContactInput(phone: nil, sms: nil, language: "fr")) == ["language"])
        #expect(fields(of: ContactInput(phone: "", sms: false, language: nil)).isEmpty)
    }
}
