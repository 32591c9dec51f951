import Foundation
import RevisitCore

/// The frame around every page: who is signed in, where they can go, which store they work in.
struct Shell {
    struct NavItem {
        let label: String
        let href: String
    }

    struct StoreOption {
        let id: Int64
        let label: String
        let selected: Bool
    }

    let title: String
    let lang: String
    let signedIn: Bool
    let userName: String
    let roleLabel: String
    let nav: [NavItem]
    let adminNav: [NavItem]
    let stores: [StoreOption]
    let showStoreSwitcher: Bool
    let currentStoreName: String
    let csrf: String
    let flash: String?
    let otherLanguageCode: String
    let otherLanguageLabel: String
    let languagePath: String
    let switchStorePath: String
    let logoutPath: String
    let staticPrefix: String

    init(title: String, context: AppRequestContext, localizer: Localizer) {
        let language = context.language
        func t(_ key: String) -> String { localizer.text(key, language) }
        self.title = title
        self.lang = language.rawValue
        let auth = context.auth
        self.signedIn = auth != nil
        self.userName = auth?.user.name ?? ""
        self.roleLabel = auth.map { t($0.user.role.labelKey) } ?? ""
        var nav: [NavItem] = []
        var adminNav: [NavItem] = []
        if let auth {
            nav.append(NavItem(label: t("nav.home"), href: Paths.home))
            nav.append(NavItem(label: t("nav.customers"), href: "/customers"))
            if auth.currentStore != nil { nav.append(NavItem(label: t("nav.reminders"), href: "/reminders")) }
            if auth.currentStore != nil, auth.user.role == .serviceAdvisor {
                nav.append(NavItem(label: t("nav.my_customers"), href: "/advisor"))
            }
            if let store = auth.currentStore {
                nav.append(NavItem(label: t("nav.dashboard"), href: Paths.storeDashboard(store.id)))
                // Only where there is something to compare: a user who sees more than one store of the group.
                if let groupId = store.groupId, auth.stores.filter({ $0.groupId == groupId }).count > 1 {
                    nav.append(NavItem(label: t("nav.group_dashboard"), href: Paths.groupDashboard(groupId)))
                }
                if auth.user.role.canRunSegments {
                    nav.append(NavItem(label: t("nav.advisors"), href: "/stores/\(store.id)/advisors"))
                }
                if auth.user.role.canManageMessaging {
                    nav.append(NavItem(label: t("nav.messaging"), href: "/stores/\(store.id)/messaging"))
                } else if auth.user.role.canWorkReminders {
                    // Advisors and CSRs record a "no" heard at the counter or on the phone.
                    nav.append(NavItem(label: t("nav.messaging"), href: "/stores/\(store.id)/opt-outs"))
                }
                nav.append(NavItem(label: t("nav.store"), href: Paths.store(store.id)))
                if auth.user.role.canEditCustomers {
                    nav.append(NavItem(label: t("nav.quality"), href: "/stores/\(store.id)/data-quality"))
                }
            }
            if auth.user.role.canImport { nav.append(NavItem(label: t("nav.imports"), href: "/imports")) }
            nav.append(NavItem(label: t("nav.account"), href: Paths.account))
            if auth.scope.isAdmin {
                adminNav = [
                    NavItem(label: t("nav.admin_stores"), href: Paths.adminStores),
                    NavItem(label: t("nav.admin_groups"), href: Paths.adminGroups),
                    NavItem(label: t("nav.admin_users"), href: Paths.adminUsers),
                    NavItem(label: t("nav.admin_audit"), href: Paths.adminAudit),
                ]
            }
        }
        self.nav = nav
        self.adminNav = adminNav
        let stores = auth?.stores ?? []
        self.stores = stores.map { store in
            StoreOption(
                id: store.id, label: "\(store.code) \(store.name)", selected: store.id == auth?.currentStore?.id)
        }
        // Also offered when nothing is chosen yet (administrators start without a store).
        self.showStoreSwitcher = stores.count > 1 || (auth?.currentStore == nil && !stores.isEmpty)
        self.currentStoreName = auth?.currentStore.map { "\($0.code) \($0.name)" } ?? ""
        self.csrf = auth?.session?.csrfToken ?? ""
        self.flash = context.flash.map { t($0) }
        let other: Language = language == .zhCN ? .en : .zhCN
        self.otherLanguageCode = other.rawValue
        self.otherLanguageLabel = localizer.text("language.name", other)
        self.languagePath = auth == nil ? Paths.language : Paths.accountLanguage
        self.switchStorePath = Paths.switchStore
        self.logoutPath = Paths.logout
        self.staticPrefix = "/static"
    }
}
