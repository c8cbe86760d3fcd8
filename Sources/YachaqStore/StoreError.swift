import Foundation
import PostgresNIO
import YachaqDomain

/// What a store reports that is the client's doing, not a fault: the HTTP layer maps it
/// to 404 / 409 / 403. Invalid input is `InvalidInput` (422).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case conflict(String)
    /// A rule that depends on stored state forbids this caller the change (checked under
    /// the row's lock, where the policy alone cannot see it).
    case forbidden(String)

    public var description: String {
        switch self {
        case .notFound(let detail), .conflict(let detail), .forbidden(let detail): detail
        }
    }
}

/// What a violated constraint of the schema means to the client, by the constraint's name:
/// the one table from which every store's violations become domain errors (`Database` applies
/// it to whatever a query throws). A constraint not named here is the HTTP layer's to word
/// generically by its SQLSTATE; the checked drafts keep those from being reached.
enum ConstraintViolations {
    private enum Meaning {
        case invalid(field: String, message: String)
        case conflict(String)
    }

    private static let meanings: [String: Meaning] = [
        "organizations_ubigeo_fkey": .invalid(field: "ubigeo", message: "no district has this ubigeo"),
        "organizations_tax_id_key": .conflict("An organisation with this RUC (tax_id) is already registered."),
        "users_login": .conflict("This login is taken; choose another."),
        "users_organization_id_fkey": .invalid(field: "organization_id", message: "no organisation has this id"),
        "users_provider_id_fkey": .invalid(field: "provider_id", message: "no provider has this id"),
        "users_provider": .conflict("This user already speaks for a provider profile."),
        "providers_national_id_key": .conflict("A provider with this DNI (national_id) is already registered."),
        "providers_home_ubigeo_fkey": .invalid(field: "home_ubigeo", message: "no district has this ubigeo"),
        "certifications_provider_id_fkey": .invalid(field: "provider_id", message: "no provider has this id"),
        "certifications_certifier_organization_id_fkey": .invalid(
            field: "certifier_organization_id", message: "no organisation has this id"),
        "trainings_trainer_id_fkey": .invalid(field: "trainer_id", message: "no provider has this id"),
        "trainings_trainee_id_fkey": .invalid(field: "trainee_id", message: "no provider has this id"),
        "trainings_organization_id_fkey": .invalid(field: "organization_id", message: "no organisation has this id"),
        "service_requests_organization_id_fkey": .invalid(field: "organization_id", message: "no organisation has this id"),
        "applications_request_id_provider_id_key": .conflict("This provider is already on this request."),
        "applications_provider_id_fkey": .invalid(field: "provider_id", message: "no provider has this id"),
        "applications_one_selected": .conflict("Another application was already selected for this request."),
        "contracts_one_per_application": .conflict("This application already has a contract."),
        "contracts_no_double_booking": .conflict("The technician is already booked by another exclusive contract on some of these days."),
        "contracts_paid_within": .conflict("A contract cannot be paid more than its amount, nor its amount lowered below what was paid."),
        "contract_funding_paid_within": .conflict(
            "A funding line cannot be paid more than its amount, nor lowered below what was paid of it."),
        "contract_funding_adds_up": .invalid(field: "funding", message: "the lines must add up to the contract's amount"),
        "contract_funding_source_organization_id_fkey": .invalid(field: "funding", message: "no organisation has this id"),
        "payments_correction_within": .conflict("A correction cannot take back more than the payment it corrects paid."),
        "ratings_pkey": .conflict("This contract has been rated already; a rating is given once and not edited."),
        "ratings_keep_their_judgement": .conflict("A rating is not edited; only its comment may be hidden, once."),
        "notifications_one_live_code": .conflict("Two invitations to the same person drew the same answer code at once; send it again."),
        "provider_reviews_only_answered": .conflict("A review is not edited; the provider answers it once."),
    ]

    /// The domain error for a violation of a named constraint; any other error unchanged.
    static func translated(_ error: any Error) -> any Error {
        guard let name = (error as? PSQLError)?.serverInfo?[.constraintName], let meaning = meanings[name] else {
            return error
        }
        switch meaning {
        case .invalid(let field, let message): return InvalidInput(field: field, message)
        case .conflict(let detail): return StoreError.conflict(detail)
        }
    }
}
