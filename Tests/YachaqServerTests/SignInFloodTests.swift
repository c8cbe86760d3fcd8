import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import YachaqActions
import YachaqServer
import YachaqTestSupport

/// A sign-in flood from a few addresses cannot deny sign-in to everyone (issue 27, finding 2):
/// failing addresses leave a reserve of password checks to the others, and an address past
/// its rate is refused before bcrypt runs. Checks are held, and the clock set, by the tests.
@Suite struct SignInFloodTests {
    static let flooders = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"]
    static let owner = "198.51.100.7"

    /// A sign-in from `address`: its status and Retry-After.
    static func signIn(
        _ client: some TestClientProtocol, _ login: String, _ password: String, from address: String
    ) async throws -> (status: Int, retryAfter: String?) {
        let response = try await client.send(
            .post, "/v1/auth/login", json: SignInThrottleTests.credentials(login, password), from: address)
        return (Int(response.status.code), response.headers[.retryAfter])
    }

    /// Four addresses that have failed fill every place but the reserve (two of four); their
    /// next sign-ins are refused at once (no queue here), and a fifth address signs in. (Bogus
    /// checks are held until the owner is in, or for `Patience.condition`.)
    @Test func failingAddressesLeaveTheReserveToOthers() async throws {
        let world = try await World.make()
        let holding = Shared(false), held = Shared(0)
        let hasher = PasswordHasher(limits: .init(waiting: 0)) { password, hash in
            if holding.withLock({ $0 }), password == "guess" {
                held.withLock { $0 += 1 }
                _ = try await eventually(every: .milliseconds(10)) { !holding.withLock { $0 } }
            }
            return try await PasswordHasher.bcrypt(password, hash)
        }
        try await withApp(on: world.endpoint, configuration: SignInThrottleTests.behindProxy, hasher: hasher) { client in
            for address in Self.flooders {
                #expect(try await Self.signIn(client, "ghost-\(address)", "guess", from: address).status == 401)
            }
            holding.withLock { $0 = true }
            defer { holding.withLock { $0 = false } }
            let flood = Task {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for (index, address) in (Self.flooders + Self.flooders + Self.flooders).enumerated() {
                        group.addTask { try await Self.signIn(client, "ghost-\(index)", "guess", from: address).status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            // Two of twelve are checked (the four places less the reserve of two), held.
            #expect(try await eventually { held.withLock { $0 } == 2 })
            let owner = try await Self.signIn(client, "community-user", World.password, from: Self.owner)
            #expect(owner.status == 200, "the reserve lets another address in")
            holding.withLock { $0 = false }
            let statuses = try await flood.value
            #expect(statuses.filter { $0 == 401 }.count == 2 && statuses.filter { $0 == 429 }.count == 10, "\(statuses)")
        }
    }

    /// 20 checks at once from an address, then one every 2 s (30 a minute): the 21st sign-in
    /// within those 2 s is refused with Retry-After before any check runs; 2 s later it is
    /// checked. The clock is the test's.
    @Test func anAddressPastItsRateIsRefusedBeforeTheCheck() async throws {
        let world = try await World.make()
        let clock = Shared(ContinuousClock.now), checks = Shared(0)
        let hasher = PasswordHasher(limits: .init(perMinute: 30, burst: 20)) { password, hash in
            checks.withLock { $0 += 1 }
            return try await PasswordHasher.bcrypt(password, hash)
        } now: {
            clock.withLock { $0 }
        }
        try await withApp(on: world.endpoint, configuration: SignInThrottleTests.behindProxy, hasher: hasher) { client in
            for index in 0..<20 {
                #expect(try await Self.signIn(client, "ghost-\(index)", "guess", from: Self.flooders[0]).status == 401)
            }
            let refused = try await Self.signIn(client, "ghost-20", "guess", from: Self.flooders[0])
            #expect(refused.status == 429 && refused.retryAfter == "2" && checks.withLock { $0 } == 20)
            #expect(try await Self.signIn(client, "community-user", World.password, from: Self.owner).status == 200, "others")
            clock.withLock { $0 += .seconds(2) }
            #expect(try await Self.signIn(client, "ghost-21", "guess", from: Self.flooders[0]).status == 401)
        }
    }

    /// The rule itself: places per address and in all, the reserve for addresses without a
    /// failure in 15 minutes, places given back.
    @Test func placesPerAddressInAllAndInReserve() async throws {
        let clock = Shared(ContinuousClock.now)
        let admission = SignInAdmission(limits: .init(total: 4, perClient: 2, reserve: 1, waiting: 0)) { clock.withLock { $0 } }
        try await admission.admit("a")
        admission.release("a", failed: true)
        try await admission.admit("a")
        try await admission.admit("a")
        await #expect(throws: SignInAdmission.Refusal.busy) { try await admission.admit("a") }
        try await admission.admit("b")
        admission.release("b", failed: true)
        try await admission.admit("b")
        await #expect(throws: SignInAdmission.Refusal.busy) { try await admission.admit("b") }  // failing: three of four places
        try await admission.admit("c")  // the reserve
        await #expect(throws: SignInAdmission.Refusal.busy) { try await admission.admit("d") }
        admission.release("c", failed: false)
        clock.withLock { $0 += .seconds(15 * 60) }
        try await admission.admit("b")  // a failure 15 minutes old is forgotten
    }

    /// A check that matches gives its token back: people who sign in never run their address
    /// dry; failures do.
    @Test func onlyFailedChecksSpendTheRate() async throws {
        let frozen = ContinuousClock.now
        let admission = SignInAdmission(limits: .init(perMinute: 1, burst: 2)) { frozen }
        for _ in 0..<10 {
            try await admission.admit("a")
            admission.release("a", failed: false)
        }
        for _ in 0..<2 {
            try await admission.admit("a")
            admission.release("a", failed: true)
        }
        await #expect(throws: SignInAdmission.Refusal.overRate(retryAfterSeconds: 60)) { try await admission.admit("a") }
    }

    /// One place; a flooding address has one check running and its next waiting when a person
    /// asks from another address: the freed place goes to the person (a fuller bucket, no
    /// failure), and the flooder's waiter runs after, behind itself.
    @Test func aQuietAddressIsServedBeforeAFloodersNext() async throws {
        let frozen = ContinuousClock.now
        let admission = SignInAdmission(limits: .init(total: 1, reserve: 0, maxWait: .seconds(600))) { frozen }
        try await admission.admit("flooder")
        let floodersNext = Task { try await admission.admit("flooder") }
        #expect(try await eventually(every: .milliseconds(5)) { admission.waitingCount == 1 })
        let person = Task { try await admission.admit("person") }
        #expect(try await eventually(every: .milliseconds(5)) { admission.waitingCount == 2 })
        admission.release("flooder", failed: true)
        try await person.value
        #expect(admission.waitingCount == 1, "the flooder still waits")
        admission.release("person", failed: false)
        try await floodersNext.value
        #expect(admission.waitingCount == 0)
    }

    /// A full queue (one place, one waiting) refuses a newcomer that would be served after
    /// everyone in it, and takes one that would be served first in place of the last, who is
    /// refused then.
    @Test func aFullQueueTakesANewcomerOnlyInPlaceOfOneServedAfterIt() async throws {
        let frozen = ContinuousClock.now
        let admission = SignInAdmission(limits: .init(total: 1, reserve: 0, waiting: 1, maxWait: .seconds(600))) { frozen }
        try await admission.admit("flooder")
        let floodersSecond = Task { try await admission.admit("flooder") }
        #expect(try await eventually(every: .milliseconds(5)) { admission.waitingCount == 1 })
        await #expect(throws: SignInAdmission.Refusal.busy) { try await admission.admit("flooder") }
        let person = Task { try await admission.admit("person") }
        await #expect(throws: SignInAdmission.Refusal.busy) { try await floodersSecond.value }
        #expect(admission.waitingCount == 1)
        admission.release("flooder", failed: true)
        try await person.value
    }

    /// A waiter is refused once it has waited `maxWait`, or at once when its request is
    /// cancelled (the client went away); either way it leaves the queue.
    @Test func aWaiterLeavesAfterMaxWaitOrWhenCancelled() async throws {
        let patient = SignInAdmission(limits: .init(total: 1, maxWait: .seconds(600)))
        let hurried = SignInAdmission(limits: .init(total: 1, maxWait: .milliseconds(20)))
        try await hurried.admit("a")
        await #expect(throws: SignInAdmission.Refusal.busy) { try await hurried.admit("b") }
        #expect(hurried.waitingCount == 0)
        try await patient.admit("a")
        let waiter = Task { try await patient.admit("b") }
        #expect(try await eventually(every: .milliseconds(5)) { patient.waitingCount == 1 })
        waiter.cancel()
        await #expect(throws: SignInAdmission.Refusal.busy) { try await waiter.value }
        #expect(patient.waitingCount == 0)
    }
}
