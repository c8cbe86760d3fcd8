import Foundation
import Testing
import YachaqDomain

@Suite struct ContractRulesTests {
    @Test(arguments: ContractStatus.allCases)
    func movesFollowTheTable(_ from: ContractStatus) {
        let table: [ContractStatus: Set<ContractStatus>] = [
            .draft: [.signed, .cancelled], .signed: [.active, .cancelled], .active: [.completed, .terminated],
            .completed: [], .terminated: [], .cancelled: [],
        ]
        for to in ContractStatus.allCases {
            #expect(from.canMove(to: to) == table[from]!.contains(to), "\(from) → \(to)")
        }
    }

    static let buyer = UUID(), agency = UUID()

    static func contract(amount: Int64 = 100_000, funding: [FundingInput]) -> NewContract {
        NewContract(
            organizationID: buyer, providerID: UUID(), title: "Riego tecnificado", startsOn: "2027-03-01", endsOn: "2027-03-31",
            amountCents: amount, funding: funding)
    }

    @Test func fundingMustAddUpToTheAmountToTheCentimo() throws {
        let lines = [
            FundingInput(sourceOrganizationID: Self.agency, kind: "public_transfer", amountCents: 70_000),
            FundingInput(sourceOrganizationID: Self.buyer, kind: "counterpart_cash", amountCents: 30_000),
        ]
        let draft = try Self.contract(funding: lines).checked(against: .fixture).resolved(with: nil, buyer: nil)
        #expect(draft.funding.map(\.kind) == [.publicTransfer, .counterpartCash])
        #expect(throws: InvalidInput.self) {
            try Self.contract(amount: 100_001, funding: lines).checked(against: .fixture).resolved(with: nil, buyer: nil)
        }
    }

    @Test func fundingLinesAreCheckedOneByOne() {
        let lines = [
            FundingInput(sourceOrganizationID: Self.buyer, kind: "donation", amountCents: 50_000),
            FundingInput(sourceOrganizationID: Self.buyer, kind: "counterpart_cash", amountCents: 0),
            FundingInput(sourceOrganizationID: Self.buyer, kind: "counterpart_cash", amountCents: 50_000),
        ]
        #expect(throws: InvalidInput.self) { try Self.contract(funding: lines).checked(against: .fixture) }
        do {
            _ = try Self.contract(funding: lines).checked(against: .fixture)
        } catch let error as InvalidInput {
            #expect(error.errors.map(\.field) == ["funding[0].kind", "funding[1].amount_cents", "funding[2]"])
        } catch {
            Issue.record(error)
        }
    }

    @Test func aContractFromARequestTakesItsTermsButNotAnotherBuyerOrTechnician() throws {
        let request = ServiceRequest(
            id: UUID(), organizationID: Self.buyer, title: "Sanidad de alpacas", description: "", skills: ["camelids"], languages: ["quz"],
            ubigeo: "081206", startsOn: "2027-03-01", endsOn: "2027-04-30", budgetCents: 80_000, mustLiveInCommunity: false,
            exclusive: true, preferredGender: nil, status: .awarded, createdAt: Date())
        let selected = JobApplication(
            id: UUID(), requestID: request.id, providerID: UUID(), status: .selected, invited: false, note: nil, interview: nil,
            reason: nil, createdAt: Date(), updatedAt: Date())
        let prefill = ContractPrefill(request: request, selected: selected)
        let funding = [FundingInput(sourceOrganizationID: Self.buyer, kind: "counterpart_cash", amountCents: 80_000)]
        let draft = try NewContract(applicationID: selected.id, funding: funding).checked(against: .fixture)
            .resolved(with: prefill, buyer: nil)
        #expect(draft.providerID == selected.providerID && draft.organizationID == Self.buyer && draft.exclusive)
        #expect(draft.amountCents == 80_000 && draft.startsOn.text == "2027-03-01" && draft.endsOn.text == "2027-04-30")
        #expect(throws: InvalidInput.self) {
            try NewContract(applicationID: selected.id, organizationID: UUID(), funding: funding).checked(against: .fixture)
                .resolved(with: prefill, buyer: nil)
        }
        #expect(throws: InvalidInput.self) {
            try NewContract(applicationID: selected.id, providerID: UUID(), funding: funding).checked(against: .fixture)
                .resolved(with: prefill, buyer: nil)
        }
    }

    @Test func paymentsAndCorrectionsHaveTheirShapes() throws {
        let payer = UUID()
        #expect(throws: InvalidInput.self) { try NewPayment(amountCents: 1000).checked(against: .fixture) }
        #expect(throws: InvalidInput.self) {
            try NewPayment(amountCents: -1000, paidOn: "2027-03-01", method: "cash", payerOrganizationID: payer).checked(against: .fixture)
        }
        #expect(throws: InvalidInput.self) { try NewPayment(amountCents: 1000, correctsPaymentID: UUID()).checked(against: .fixture) }
        #expect(throws: InvalidInput.self) {
            try NewPayment(amountCents: Bounds.amountCents + 1, paidOn: "2027-03-01", method: "cash", payerOrganizationID: payer)
                .checked(against: .fixture)
        }
        let correction = try NewPayment(amountCents: -1000, correctsPaymentID: UUID()).checked(against: .fixture)
        #expect(correction.method == nil && correction.paidOn == nil)
        #expect(PaymentMethod.inKind.fits(.counterpartInKind) && !PaymentMethod.cash.fits(.counterpartInKind))
        #expect(IdempotencyKey("pago 1") == nil && IdempotencyKey(String(repeating: "k", count: 256)) == nil)
        #expect(IdempotencyKey("3f1c2a9e-pago-1")?.text == "3f1c2a9e-pago-1")
    }
}

@Suite struct CalendarDateTests {
    @Test(arguments: ["2026-03-01", "2024-02-29", "2000-02-29", "1900-01-01", "2200-12-31", "2027-12-31"])
    func daysThatExistAreRead(_ text: String) {
        #expect(CalendarDate(text)?.text == text)
    }

    @Test(arguments: [
        "2026-02-29", "1900-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "1899-12-31", "2201-01-01",
        "2026-3-01", "2026/03/01", "2026-03-01T00", "２０２６-03-01", "+026-03-01", "",
    ])
    func anythingElseIsNot(_ text: String) {
        #expect(CalendarDate(text) == nil)
    }
}
