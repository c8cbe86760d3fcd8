import Foundation

/// Where a provider stands on a request, from applying (or being invited) to the
/// community's choice.
public enum JobApplicationStatus: String, Sendable, Codable, CaseIterable {
    case applied, shortlisted, interviewed, selected, rejected, withdrawn

    /// Allowed moves: forward through the assembly's steps, or out (rejected, withdrawn)
    /// from any open step. `selected` may still be withdrawn (before a contract is signed).
    public func canMove(to next: JobApplicationStatus) -> Bool {
        switch (self, next) {
        case (.applied, .shortlisted), (.applied, .interviewed), (.applied, .selected),
            (.shortlisted, .interviewed), (.shortlisted, .selected),
            (.interviewed, .selected):
            true
        case (.applied, .rejected), (.shortlisted, .rejected), (.interviewed, .rejected):
            true
        case (.applied, .withdrawn), (.shortlisted, .withdrawn), (.interviewed, .withdrawn), (.selected, .withdrawn):
            true
        default:
            false
        }
    }
}

/// The interview the assembly held: when, who sat on the panel, what was said.
public struct Interview: Sendable, Codable, Equatable {
    public var heldOn: String
    public var panel: String
    public var notes: String

    public init(heldOn: String, panel: String, notes: String) {
        self.heldOn = heldOn
        self.panel = panel
        self.notes = notes
    }
}

/// `POST /v1/requests/{id}/applications`: a provider applies, or the buyer invites one.
public struct NewJobApplication: CheckedInput {
    public var providerID: UUID
    public var note: String?

    public init(providerID: UUID, note: String? = nil) {
        self.providerID = providerID
        self.note = note
    }

    public func checked(against codes: ReferenceCodes) throws -> JobApplicationDraft {
        var check = Validator()
        let note = note?.trimmed
        check((note?.count ?? 0) <= 2000, "note", "must be at most 2,000 characters")
        try check.finish()
        return JobApplicationDraft(providerID: providerID, note: note?.isEmpty == true ? nil : note)
    }
}

/// What `NewJobApplication.checked(against:)` makes of a valid one.
public struct JobApplicationDraft: Sendable {
    public let providerID: UUID
    public let note: String?
}

/// `PATCH /v1/applications/{id}`.
public struct JobApplicationChange: CheckedInput {
    public var status: String
    public var interview: Interview?
    public var reason: String?

    public init(status: String, interview: Interview? = nil, reason: String? = nil) {
        self.status = status
        self.interview = interview
        self.reason = reason
    }

    /// The step, with what the assembly recorded of it.
    public func checked(against codes: ReferenceCodes) throws -> JobApplicationChangeDraft {
        var check = Validator()
        let status = JobApplicationStatus(rawValue: status)
        check(status != nil && status != .applied, "status", "must be shortlisted, interviewed, selected, rejected or withdrawn")
        if status == .interviewed {
            check(interview != nil, "interview", "an interview needs its date, panel and notes")
            if let interview {
                check(CalendarDate(interview.heldOn) != nil, "interview.held_on", "a date is written 2026-03-01")
                check(
                    !interview.panel.trimmed.isEmpty && interview.panel.count <= 2000, "interview.panel",
                    "name the assembly members present")
                check(interview.notes.count <= 5000, "interview.notes", "must be at most 5,000 characters")
            }
        }
        if status == .rejected {
            check(!(reason ?? "").trimmed.isEmpty, "reason", "say why, for the provider and the record")
        }
        check((reason ?? "").count <= 2000, "reason", "must be at most 2,000 characters")
        try check.finish()
        let reason = reason?.trimmed
        return JobApplicationChangeDraft(status: status!, interview: interview, reason: reason?.isEmpty == true ? nil : reason)
    }
}

/// What `JobApplicationChange.checked(against:)` makes of a valid one.
public struct JobApplicationChangeDraft: Sendable {
    public let status: JobApplicationStatus
    public let interview: Interview?
    public let reason: String?
}

/// A technician's answer to an invitation: accepted, or declined (which also withdraws the
/// application). Given once; the request's community or municipality is told.
public enum InvitationAnswer: String, Sendable, Codable, CaseIterable {
    case accepted, declined
}

public struct JobApplication: Sendable, Codable, Equatable {
    public var id: UUID
    public var requestID: UUID
    public var providerID: UUID
    public var status: JobApplicationStatus
    public var invited: Bool
    public var note: String?
    public var interview: Interview?
    public var reason: String?
    /// For an invitation, the technician's answer once given.
    public var invitationAnswer: InvitationAnswer?
    public var createdAt: Date
    public var updatedAt: Date

    /// An invitation the technician has not answered and still can (before the assembly's choice).
    public var isOpenInvitation: Bool {
        invited && invitationAnswer == nil && [.applied, .shortlisted, .interviewed].contains(status)
    }

    public init(
        id: UUID, requestID: UUID, providerID: UUID, status: JobApplicationStatus, invited: Bool, note: String?, interview: Interview?,
        reason: String?, invitationAnswer: InvitationAnswer? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.requestID = requestID
        self.providerID = providerID
        self.status = status
        self.invited = invited
        self.note = note
        self.interview = interview
        self.reason = reason
        self.invitationAnswer = invitationAnswer
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
