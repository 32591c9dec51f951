import Foundation
import Logging
import RevisitCore
import RevisitStorage
import ServiceLifecycle

/// Sends the outbox (DOMAIN §6), inside `serve` and as `revisit worker`: prepares reminder messages,
/// claims a batch under a lease, hands it to the provider a few dozen at a time, records every answer.
/// Any number of workers may run; the lease and the claim's row locks keep them off each other's messages.
public struct OutboxWorker: Service {
    let outbox: SQLOutbox
    let provider: any SMSProvider
    let settings: SMSSettings
    let name: String
    let batch: Int
    let idle: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        outbox: SQLOutbox, provider: any SMSProvider, settings: SMSSettings, name: String? = nil, batch: Int = 200,
        idle: Duration = .milliseconds(250), now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.outbox = outbox
        self.provider = provider
        self.settings = settings
        self.name =
            name
            ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        self.batch = batch
        self.idle = idle
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastReceiptCheck = ContinuousClock.now - .seconds(3_600)
            while !Task.isCancelled {
                do {
                    if ContinuousClock.now - lastReceiptCheck > .seconds(60) {
                        lastReceiptCheck = ContinuousClock.now
                        try await checkOverdueReceipts()
                    }
                    let busy = try await tick()
                    if !busy { try? await Task.sleep(for: idle) }
                } catch {
                    logger.warning("outbox worker failed", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// One pass: returns whether there was work (so the loop goes on at once instead of sleeping).
    @discardableResult
    public func tick() async throws -> Bool {
        let prepared = try await outbox.prepare()
        let claimed = try await outbox.claim(limit: batch, worker: name, lease: settings.lease)
        guard !claimed.isEmpty else { return prepared > 0 }
        let results = await send(claimed)
        try await outbox.record(results)
        return true
    }

    /// Asks the provider about messages whose receipt is overdue (see `SQLOutbox.overdueReceipts`): a
    /// delivered one is settled as if its receipt had come; the others are asked about again later.
    /// Returns how many were settled.
    @discardableResult
    public func checkOverdueReceipts(limit: Int = 100) async throws -> Int {
        var settled = 0
        for (storeId, id) in try await outbox.overdueReceipts(limit: limit) {
            if case .accepted(let providerId, delivered: true) = await provider.status(idempotencyKey: String(id)) {
                let receipt = DeliveryReceipt(
                    idempotencyKey: String(id), providerMessageId: providerId, status: "delivered", at: now())
                if try await outbox.applyReceipt(receipt) {
                    settled += 1
                    continue
                }
            }
            try await outbox.askAgainLater(storeId: storeId, id: id)
        }
        return settled
    }

    /// Sends a batch with at most `settings.concurrency` requests in flight.
    func send(_ messages: [ClaimedMessage]) async -> [SendResult] {
        await withTaskGroup(of: SendResult.self) { group in
            var results: [SendResult] = []
            results.reserveCapacity(messages.count)
            var next = 0
            let width = max(1, settings.concurrency)
            while next < min(width, messages.count) {
                let message = messages[next]
                group.addTask { await self.send(message) }
                next += 1
            }
            for await result in group {
                results.append(result)
                if next < messages.count {
                    let message = messages[next]
                    group.addTask { await self.send(message) }
                    next += 1
                }
            }
            return results
        }
    }

    /// One message. A message tried before may have reached the provider (the worker died after sending,
    /// or the answer was lost), so the provider is asked first, and it is sent only if it never arrived.
    func send(_ message: ClaimedMessage) async -> SendResult {
        if message.attempts > 1 {
            switch await provider.status(idempotencyKey: message.idempotencyKey) {
            case .accepted(let id, _):
                return result(message, .accepted(providerId: id))
            case .notFound, .unsupported:
                break
            case .unavailable(let error):
                return result(message, retryOrFail(message, "status query: \(error)"))
            }
        }
        let outcome = await provider.submit(
            OutgoingMessage(
                idempotencyKey: message.idempotencyKey, phone: message.phone, text: message.body, kind: message.kind))
        switch outcome {
        case .accepted(let id): return result(message, .accepted(providerId: id))
        case .rejected(let error): return result(message, .failed(error: error))
        case .notSent(let error): return result(message, retryOrFail(message, error))
        case .unknown(let error):
            // Asked about again soon; the status query or a receipt settles it.
            return result(message, .unknown(error: error, at: now().addingTimeInterval(settings.retry.base)))
        }
    }

    func retryOrFail(_ message: ClaimedMessage, _ error: String) -> SendResult.Outcome {
        if settings.retry.gaveUp(afterAttempt: message.attempts) {
            return .failed(error: "gave up after \(message.attempts) tries: \(error)")
        }
        return .retry(error: error, at: now().addingTimeInterval(settings.retry.delay(afterAttempt: message.attempts)))
    }

    func result(_ message: ClaimedMessage, _ outcome: SendResult.Outcome) -> SendResult {
        SendResult(id: message.id, storeId: message.storeId, provider: provider.name, outcome: outcome)
    }
}

/// Builds the configured provider.
public enum SMSProviders {
    public static func make(_ settings: SMSSettings, dataDirectory: String) throws -> any SMSProvider {
        switch settings.provider {
        case .log:
            try LogSMSProvider(
                path: settings.logFile
                    ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("sms.log").path)
        case .http: try HTTPSMSProvider(settings: settings)
        }
    }

    /// Closes what the provider holds open (the HTTP client's connections).
    public static func shutdown(_ provider: any SMSProvider) async {
        if let http = provider as? HTTPSMSProvider { await http.shutdown() }
    }
}
