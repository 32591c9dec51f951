import Foundation
import Hummingbird
import RevisitCore

/// The merge screen (both records side by side, a choice per field) and the store's data-quality page
/// that leads to it.
struct MergeController {
    let services: AppServices
    let cookies: CookieFactory

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("/customers/:id/merge") { request, context in
            guard let other = Int64(request.uri.queryParameters.get("with") ?? "") else {
                throw RevisitError.notFound()
            }
            return try await self.page(context, survivorId: try context.parameters.requireID(), mergedId: other)
        }
        router.post("/customers/:id/merge") { _, context in try await self.merge(context) }
        router.get("/stores/:id/data-quality") { _, context in try await self.quality(context) }
    }

    func page(
        _ context: AppRequestContext, survivorId: Int64, mergedId: Int64, error: RevisitError? = nil
    ) async throws
        -> Response
    {
        let auth = try context.requireAuth()
        let survivor = try await services.customers.customer(id: survivorId, scope: auth.scope)
        let merged = try await services.customers.customer(id: mergedId, scope: auth.scope)
        guard auth.user.role.canMerge else { throw RevisitError(.forbidden, code: .forbidden) }
        let masking = PhoneMasking(role: auth.user.role)
        let owners = try await OwnerChoices.load(
            storeId: survivor.storeId, auth: auth, services: services, language: context.language)
        let t = { (key: String) in services.localizer.text(key, context.language) }
        func values(_ c: Customer, _ field: MergeField) -> String {
            switch field {
            case .name: c.name
            case .type: t("customer_type.\(c.type.rawValue)")
            case .gender: t("gender.\(c.gender.rawValue)")
            case .birthday: c.birthday?.description ?? ""
            case .address: c.address
            case .region: c.region
            case .sourceChannel: c.sourceChannel
            case .consent:
                "\(t("customer.consent_sms")) \(c.consentMarketingSMS ? t("common.yes") : t("common.no")) · \(t("customer.consent_callback")) \(c.consentCallback ? t("common.yes") : t("common.no"))"
            case .licenceReviewDate: c.licenceReviewDate?.description ?? ""
            case .owner: owners.name(advisorId: c.ownerId, teamId: c.ownerTeamId)
            case .notes: c.notes
            }
        }
        let survivorVehicles = try await services.vehicles.vehicles(ownedBy: survivor.id, scope: auth.scope)
        let mergedVehicles = try await services.vehicles.vehicles(ownedBy: merged.id, scope: auth.scope)
        let view = MergePage(
            action: "/customers/\(survivor.id)/merge", mergedId: merged.id, csrf: auth.session?.csrfToken ?? "",
            survivorHref: "/customers/\(survivor.id)", mergedHref: "/customers/\(merged.id)",
            swapHref: "/customers/\(merged.id)/merge?with=\(survivor.id)",
            error: error.map { services.localizer.message(for: $0, context.language) },
            rows: MergeField.allCases.map { field in
                let keep = values(survivor, field)
                let take = values(merged, field)
                return MergePage.Row(
                    field: field.rawValue, label: t("merge.field.\(field.rawValue)"), keep: keep, take: take,
                    differs: keep != take)
            },
            survivorPhones: survivor.phones.map { masking.text($0.number) }.joined(separator: ", "),
            mergedPhones: merged.phones.map { masking.text($0.number) }.joined(separator: ", "),
            survivorVehicles: survivorVehicles.map(\.plate).joined(separator: ", "),
            mergedVehicles: mergedVehicles.map(\.plate).joined(separator: ", "),
            survivorNo: survivor.customerNo ?? "", mergedNo: merged.customerNo ?? "")
        return services.renderer.render(
            "customers/merge", titleKey: "merge.title", view: view, context: context,
            status: error.map(ErrorMiddleware.status(for:)) ?? .ok)
    }

    func merge(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let survivorId = try context.parameters.requireID()
        guard let mergedId = Int64(context.form["with"]) else {
            throw RevisitError(.validation, code: .required, field: "mergedId")
        }
        let fields = Set(context.form.all("take").compactMap(MergeField.init(rawValue:)))
        do {
            _ = try await services.customers.customer(id: survivorId, scope: auth.scope)
            guard auth.user.role.canMerge else { throw RevisitError(.forbidden, code: .forbidden) }
            _ = try await services.customers.merge(
                survivorId: survivorId, mergedId: mergedId, taking: fields, scope: auth.scope)
            return Response.seeOther("/customers/\(survivorId)", flash: "flash.merged", cookies: cookies)
        } catch let error as RevisitError where error.kind == .validation || error.kind == .conflict {
            return try await page(context, survivorId: survivorId, mergedId: mergedId, error: error)
        }
    }

    func quality(_ context: AppRequestContext) async throws -> Response {
        let auth = try context.requireAuth()
        let store = try await services.identity.store(id: try context.parameters.requireID(), scope: auth.scope)
        let report = try await services.customers.dataQuality(storeId: store.id, scope: auth.scope)
        let pairs = try await services.customers.duplicateCandidates(storeId: store.id, limit: 100, scope: auth.scope)
        let masking = PhoneMasking(role: auth.user.role)
        let t = { (key: String) in services.localizer.text(key, context.language) }
        let list = "/customers?store=\(store.id)&flag="
        let view = DataQualityPage(
            storeName: "\(store.code) \(store.name)", customers: report.customers,
            averageCompleteness: report.averageCompleteness,
            problems: [
                .init(label: t("flag.phone"), count: report.invalidPhones, href: list + "phone"),
                .init(label: t("flag.vin"), count: report.invalidVINs, href: list + "vin"),
                .init(label: t("flag.plate"), count: report.invalidPlates, href: list + "plate"),
                .init(label: t("flag.incomplete"), count: report.incomplete, href: list + "incomplete"),
                .init(label: t("quality.duplicates"), count: report.duplicatePairs, href: "#duplicates"),
            ],
            missing: report.missing.sorted { $0.value > $1.value }.map {
                .init(label: t("key_field.\($0.key)"), count: $0.value, href: nil)
            },
            pairs: pairs.map { pair in
                DataQualityPage.Pair(
                    reason: t("quality.reason.\(pair.reason.rawValue)"),
                    key: pair.reason == .phone ? masking.text(PhoneNumber(pair.key)) : pair.key,
                    firstName: pair.first.name, firstHref: "/customers/\(pair.first.id)", secondName: pair.second.name,
                    secondHref: "/customers/\(pair.second.id)",
                    mergeHref: auth.user.role.canMerge
                        ? "/customers/\(pair.first.id)/merge?with=\(pair.second.id)" : nil)
            })
        return services.renderer.render("customers/quality", titleKey: "quality.title", view: view, context: context)
    }
}

extension Role {
    /// Merging records is data stewardship: managers and customer service, not every advisor.
    var canMerge: Bool { self == .admin || self == .storeManager || self == .csr }
}

struct MergePage {
    struct Row {
        let field: String
        let label: String
        let keep: String
        let take: String
        let differs: Bool
    }
    let action: String
    let mergedId: Int64
    let csrf: String
    let survivorHref: String
    let mergedHref: String
    let swapHref: String
    let error: String?
    let rows: [Row]
    let survivorPhones: String
    let mergedPhones: String
    let survivorVehicles: String
    let mergedVehicles: String
    let survivorNo: String
    let mergedNo: String
}

struct DataQualityPage {
    struct Count {
        let label: String
        let count: Int
        let href: String?
    }
    struct Pair {
        let reason: String
        let key: String
        let firstName: String
        let firstHref: String
        let secondName: String
        let secondHref: String
        let mergeHref: String?
    }
    let storeName: String
    let customers: Int
    let averageCompleteness: Int
    let problems: [Count]
    let missing: [Count]
    let pairs: [Pair]
}
