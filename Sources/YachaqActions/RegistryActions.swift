import Foundation
import YachaqDomain
import YachaqStore

/// A talent's profile: registered by staff, or by a technician's own account (once).
public struct RegisterProvider: Sendable {
    let providers: ProviderStore

    public func callAsFunction(_ draft: ProviderDraft, by identity: Identity) async throws -> Provider {
        try identity.require(.createProvider)
        // A technician registering themselves becomes the profile's account.
        let selfRegistering = identity.role == .provider ? identity.userID : nil
        return try await providers.create(draft, actor: identity, linkingUser: selfRegistering)
    }
}

/// A change of a profile, by its technician or staff. Only staff change its standing (the
/// DNI, a status staff set); `change` makes the new profile from the stored one, under its lock.
public struct UpdateProvider: Sendable {
    let providers: ProviderStore

    public func callAsFunction(_ id: UUID, by identity: Identity, change: @Sendable (ProviderInput) throws -> ProviderDraft) async throws
        -> Provider
    {
        try identity.require(.updateProvider(id))
        return try await providers.update(id, actor: identity, standing: identity.may(.changeProviderStanding), change: change)
    }
}

/// A certificate of a talent's skill, by staff.
public struct CertifyProvider: Sendable {
    let lineage: LineageStore

    public func callAsFunction(_ id: UUID, _ draft: CertificationDraft, by identity: Identity) async throws -> Certification {
        try identity.require(.certifyProvider)
        return try await lineage.certify(id, draft, actor: identity)
    }
}

/// Who trained whom, in the cascade of yachaq and yachachiq, by staff.
public struct RecordTraining: Sendable {
    let lineage: LineageStore

    public func callAsFunction(_ draft: TrainingDraft, by identity: Identity) async throws -> Training {
        try identity.require(.recordTraining)
        return try await lineage.record(draft, actor: identity)
    }
}
