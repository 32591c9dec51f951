import Foundation
import Hummingbird
import Logging
import Prometheus
import RevisitStorage

/// Health and metrics for whoever runs the server. Both are unauthenticated, as load balancers and
/// Prometheus expect; neither reveals business data.
struct OpsController {
    let services: AppServices

    struct Health: Encodable {
        let status: String
        let engine: String
        let schemaVersion: Int
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/health") { _, _ in try await self.health() }
        router.get("/metrics") { _, _ in self.metrics() }
    }

    func health() async throws -> Response {
        let engine = services.database.engine.rawValue
        do {
            let version = try await MigrationRunner(database: services.database, logger: services.logger)
                .currentVersion()
            return try Response.json(Health(status: "ok", engine: engine, schemaVersion: version))
        } catch {
            services.logger.error("health check failed", metadata: ["error": "\(String(reflecting: error))"])
            return try Response.json(
                Health(status: "error", engine: engine, schemaVersion: 0), status: .serviceUnavailable)
        }
    }

    func metrics() -> Response {
        var buffer: [UInt8] = []
        services.metrics.emit(into: &buffer)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}
