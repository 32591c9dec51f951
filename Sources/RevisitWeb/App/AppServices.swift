import Foundation
import Logging
import Prometheus
import RevisitCore
import RevisitStorage

/// What handlers and middlewares need, built once at start and passed in.
public struct AppServices: Sendable {
    public let config: AppConfig
    public let database: Database
    public let identity: any IdentityStore
    public let auth: any AuthStore
    public let audit: any AuditStore
    public let customers: any CustomerStore
    public let vehicles: any VehicleStore
    public let repairOrders: any RepairOrderStore
    public let imports: SQLImportStore
    public let segments: SQLSegmentStore
    public let reminders: SQLReminderStore
    public let ownership: SQLOwnershipStore
    public let advisors: SQLAdvisorStore
    public let teams: SQLTeamStore
    public let messaging: SQLMessagingStore
    public let outbox: SQLOutbox
    public let importJobs: ImportJobs
    public let hasher: PasswordHasher
    public let localizer: Localizer
    public let renderer: PageRenderer
    public let metrics: PrometheusCollectorRegistry
    public let now: @Sendable () -> Date
    public let logger: Logger

    public init(
        config: AppConfig, database: Database, hasher: PasswordHasher, metrics: PrometheusCollectorRegistry,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) async throws {
        self.config = config
        self.database = database
        self.identity = SQLIdentityStore(database: database, now: now)
        self.auth = SQLAuthStore(database: database)
        self.audit = SQLAuditStore(database: database, now: now)
        self.customers = SQLCustomerStore(database: database, now: now)
        self.vehicles = SQLVehicleStore(database: database, now: now)
        self.repairOrders = SQLRepairOrderStore(database: database, now: now)
        self.imports = SQLImportStore(database: database, now: now)
        self.segments = SQLSegmentStore(database: database, now: now)
        self.reminders = SQLReminderStore(database: database, now: now)
        self.ownership = SQLOwnershipStore(database: database, now: now)
        self.advisors = SQLAdvisorStore(database: database)
        self.teams = SQLTeamStore(database: database, now: now)
        self.messaging = SQLMessagingStore(database: database, now: now)
        self.outbox = SQLOutbox(database: database, now: now)
        self.importJobs = ImportJobs(logger: logger)
        self.hasher = hasher
        self.localizer = try Localizer.load(from: WebResources.directory.appendingPathComponent("i18n"))
        self.renderer = try await PageRenderer(localizer: localizer)
        self.metrics = metrics
        self.now = now
        self.logger = logger
    }
}

extension AppServices {
    /// Uploaded DMS files wait here between the upload, the mapping preview and the import.
    var uploadsDirectory: URL {
        URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("uploads")
    }

    /// The largest file an upload may carry.
    static let maxUploadBytes: Int64 = 1 << 30
}

/// Where the bundled templates, static files and translations are.
public enum WebResources {
    public static var directory: URL {
        Bundle.module.url(forResource: "Resources", withExtension: nil)!
    }
}
