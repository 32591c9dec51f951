import Hummingbird
import Metrics
import Prometheus

/// Request counts and latency by matched route (not raw path, so ids do not explode the label set).
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let factory: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry) {
        self.factory = PrometheusMetricsFactory(registry: registry)
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(
                request, route: context.endpointPath ?? "NotFound", status: Int(response.status.code), since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            record(request, route: context.endpointPath ?? "NotFound", status: status, since: started)
            throw error
        }
    }

    private func record(_ request: Request, route: String, status: Int, since started: ContinuousClock.Instant) {
        let method = request.method.rawValue
        Counter(
            label: "revisit_http_requests_total",
            dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory
        ).increment()
        let elapsed = ContinuousClock.now - started
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        Metrics.Timer(
            label: "revisit_http_request_duration_seconds", dimensions: [("route", route), ("method", method)],
            factory: factory
        ).recordNanoseconds(nanoseconds)
    }
}
