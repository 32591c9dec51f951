import Foundation
import Hummingbird
import Logging
import RevisitCore

/// Builds the router: ops and static files first, then the pages behind sessions and CSRF, then the
/// JSON API behind bearer tokens.
public enum RevisitApp {
    public static func router(services: AppServices) throws -> Router<AppRequestContext> {
        let cookies = CookieFactory(secure: services.config.secureCookies)
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(registry: services.metrics))
        router.add(middleware: ClientMiddleware(trustForwardedFor: services.config.trustForwardedFor, cookies: cookies))
        router.add(middleware: ErrorMiddleware(localizer: services.localizer, renderer: services.renderer))
        router.add(middleware: SessionMiddleware(services: services, cookies: cookies))
        router.add(middleware: CSRFMiddleware())

        OpsController(services: services).register(on: router)
        try StaticFiles(directory: WebResources.directory.appendingPathComponent("static")).register(on: router)
        LoginController(services: services, cookies: cookies).register(on: router)
        SMSWebhooks(services: services).register(on: router)

        let pages = router.group().add(middleware: RequireLoginMiddleware())
        HomeController(services: services).register(on: pages)
        AccountController(services: services, cookies: cookies).register(on: pages)
        StoreController(services: services).register(on: pages)
        CustomerController(services: services, cookies: cookies).register(on: pages)
        VehicleController(services: services, cookies: cookies).register(on: pages)
        RepairOrderController(services: services).register(on: pages)
        MergeController(services: services, cookies: cookies).register(on: pages)
        ImportController(services: services, cookies: cookies).register(on: pages)
        AdvisorLinkController(services: services, cookies: cookies).register(on: pages)
        DashboardController(services: services, cookies: cookies).register(on: pages)
        SegmentsPageController(services: services, cookies: cookies).register(on: pages)
        LifetimeValueController(services: services).register(on: pages)
        GroupDashboardController(services: services).register(on: pages)
        ReminderController(services: services, cookies: cookies).register(on: pages)
        AdvisorController(services: services, cookies: cookies).register(on: pages)
        TeamController(services: services, cookies: cookies).register(on: pages)
        ReminderSettingsController(services: services, cookies: cookies).register(on: pages)
        MessagingController(services: services, cookies: cookies).register(on: pages)

        let admin = pages.group().add(middleware: RequireAdminMiddleware())
        StoreAdminController(services: services, cookies: cookies).register(on: admin)
        GroupAdminController(services: services, cookies: cookies).register(on: admin)
        UserAdminController(services: services, cookies: cookies).register(on: admin)
        AuditController(services: services).register(on: admin)

        router.get("/api/v1/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.json())))
        }
        let api = router.group("/api/v1").add(middleware: ApiAuthMiddleware(services: services))
        MeApi(services: services).register(on: api)
        StoresApi(services: services).register(on: api)
        GroupsApi(services: services).register(on: api)
        UsersApi(services: services).register(on: api)
        TokensApi(services: services).register(on: api)
        AuditApi(services: services).register(on: api)
        CustomersApi(services: services).register(on: api)
        VehiclesApi(services: services).register(on: api)
        RepairOrdersApi(services: services).register(on: api)
        LookupApi(services: services).register(on: api)
        QualityApi(services: services).register(on: api)
        ImportsApi(services: services).register(on: api)
        SegmentsApi(services: services).register(on: api)
        RemindersApi(services: services).register(on: api)
        OwnershipApi(services: services).register(on: api)
        TeamsApi(services: services).register(on: api)
        MessagingApi(services: services).register(on: api)
        return router
    }

    public static func application(
        services: AppServices, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        Application(
            router: try router(services: services),
            configuration: .init(
                address: .hostname(services.config.host, port: services.config.port), serverName: "revisit"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: services.logger)
    }
}
