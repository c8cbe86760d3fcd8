import Foundation
import Logging
import ServiceLifecycle
import YachaqDomain
import YachaqStore
import YachaqWords

/// The outbox's dispatcher, one per `yachaq serve`: claims due texts (several processes share
/// the outbox, each row claimed by one), says each in its recipient's language, hands it to
/// the gateway, and records what happened; a failure waits its backoff and is tried again up to
/// the limit. It polls every `interval` while the outbox has nothing due.
public struct SMSDispatcher: Service {
    let outbox: SMSOutboxStore
    let gateway: KannelGateway
    let translations: Translations
    let reference: ReferenceData
    let pacing: SMSPacing
    let interval: Duration
    let logger: Logger

    public init(
        outbox: SMSOutboxStore, gateway: KannelGateway, translations: Translations, reference: ReferenceData, pacing: SMSPacing,
        interval: Duration = .seconds(1), logger: Logger
    ) {
        self.outbox = outbox
        self.gateway = gateway
        self.translations = translations
        self.reference = reference
        self.pacing = pacing
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        // Graceful shutdown ends the loop between batches; a batch in flight finishes.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let handled: Int
                do {
                    handled = try await dispatchOnce()
                } catch {
                    logger.warning("the SMS outbox could not be read", metadata: ["error": "\(error)"])
                    handled = 0
                }
                if handled == 0 { try? await Task.sleep(for: interval) }
            }
        }
    }

    /// Claims one batch and sends it; how many texts it handled.
    @discardableResult
    public func dispatchOnce(now: Date = Date()) async throws -> Int {
        let claims = try await outbox.claim(pacing, quiet: pacing.quietHours.contain(now))
        // A few at a time: the gateway answers each in a millisecond or two, mostly waiting.
        for start in stride(from: 0, to: claims.count, by: Self.inFlight) {
            await withTaskGroup(of: Void.self) { group in
                for claim in claims[start..<min(start + Self.inFlight, claims.count)] { group.addTask { await send(claim) } }
            }
        }
        return claims.count
    }

    /// Texts handed to the gateway at once.
    static let inFlight = 8

    private func send(_ claim: SMSClaim) async {
        let words = Words(translations, language: PageLanguage(rawValue: claim.language ?? "es") ?? .es, reference: reference)
        let text = words.sms(NotificationKind(rawValue: claim.kind)?.wordsKey(claim.params) ?? claim.kind, claim.params)
        do {
            do {
                try await gateway.send(text, to: claim.phone, id: claim.id)
            } catch {
                let retry = pacing.retryDelay(after: claim.attempts)
                logger.notice(
                    "an SMS was not taken by the gateway",
                    metadata: ["sms": "\(claim.id)", "attempts": "\(claim.attempts)", "error": "\(error)", "retry": "\(retry != nil)"])
                try await outbox.notSent(claim.id, body: text.text, error: "\(error)", retryIn: retry)
                return
            }
            try await outbox.sent(claim.id, body: text.text)
        } catch {
            // The claim lapses and the text is tried again; the gateway may then get it twice.
            logger.error("an SMS's outcome could not be recorded", metadata: ["sms": "\(claim.id)", "error": "\(error)"])
        }
    }
}
