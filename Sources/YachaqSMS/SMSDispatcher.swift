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
        // Several at a time, a new one as soon as one is done: Kannel answers a sendsms in 1 ms
        // or in 40 ms (its HTTP server's acknowledgements), so texts in series would wait on it.
        await withTaskGroup(of: Void.self) { group in
            for (index, claim) in claims.enumerated() {
                if index >= Self.inFlight { await group.next() }
                group.addTask { await send(claim) }
            }
        }
        return claims.count
    }

    /// Texts handed to the gateway at once.
    static let inFlight = 16

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
            try await recordSent(claim.id, body: text.text)
        } catch {
            // The claim lapses and the text is tried again; the gateway may then get it twice.
            logger.error("an SMS's outcome could not be recorded", metadata: ["sms": "\(claim.id)", "error": "\(error)"])
        }
    }

    /// The gateway has the text: recording that is tried again for a while (a busy pool, a
    /// failover), since a claim that lapses unrecorded sends the text a second time.
    private func recordSent(_ id: Int64, body: String) async throws {
        for attempt in 1... {
            do {
                return try await outbox.sent(id, body: body)
            } catch  where attempt < 5 && !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }
}
