import Testing
import YachaqDomain

@Suite struct GeneratedPasswordTests {
    @Test func generatedPasswordsAreLongEnoughReadableAndFresh() throws {
        let passwords = (0..<100).map { _ in NewUser.generatedPassword() }
        for password in passwords {
            #expect(password.count == 16)
            #expect(!password.contains { "0O1lI".contains($0) }, "\(password)")
            _ = try NewUser(login: "rosa", password: password, role: "provider").checked()
        }
        #expect(Set(passwords).count == passwords.count)
    }
}
