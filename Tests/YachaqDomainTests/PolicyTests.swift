import Foundation
import Testing
import YachaqDomain

@Suite struct PolicyTests {
    static let ownOrganization = UUID()
    static let otherOrganization = UUID()

    static func identity(_ role: Role) -> Identity {
        Identity(userID: UUID(), role: role, organizationID: role.needsOrganization ? ownOrganization : nil, providerID: nil)
    }

    typealias Row = (action: Policy.Action, allowed: Set<Role>)

    /// Who, signed in, may do each action; everyone else is forbidden, and anonymous
    /// callers are asked to sign in, except for reference data.
    static let table: [Row] = [
        (.listOrganizations, [.admin, .staff]),
        (.createOrganization, [.admin, .staff]),
        (.readOrganization(ownOrganization), [.admin, .staff, .municipality, .community]),
        (.readOrganization(otherOrganization), [.admin, .staff]),
        (.createUser(role: nil), [.admin, .staff]),
        (.createUser(role: .community), [.admin, .staff]),
        (.createUser(role: .admin), [.admin]),
        (.readOwnAccount, Set(Role.allCases)),
        (.readAudit, [.admin, .staff]),
    ]

    @Test(arguments: table)
    func decides(_ row: Row) {
        #expect(Policy.decide(nil, row.action) == .unauthenticated)
        for role in Role.allCases {
            let expected: Policy.Decision = row.allowed.contains(role) ? .allowed : .forbidden
            #expect(Policy.decide(Self.identity(role), row.action) == expected, "\(role) \(row.action)")
        }
    }

    @Test func referenceDataIsPublic() {
        #expect(Policy.decide(nil, .readReferenceData) == .allowed)
        for role in Role.allCases { #expect(Policy.decide(Self.identity(role), .readReferenceData) == .allowed) }
    }
}
