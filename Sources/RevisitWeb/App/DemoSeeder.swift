import Foundation
import RevisitCore
import RevisitStorage

/// Builds the demo dealership: a group, its stores and staff (one login per role, password
/// `revisit-demo`), then the generated customers, vehicles and repair orders.
public enum DemoSeeder {
    public struct Summary: Sendable {
        public var stores: Int
        public var customers: Int
        public var vehicles: Int
        public var repairOrders: Int
    }

    static let storeCodes = ["BJ01", "SH01", "SZ01", "HZ01", "CD01", "SU01"]
    static let storeNames = ["北京朝阳4S店", "上海浦东4S店", "深圳南山4S店", "杭州西湖4S店", "成都高新4S店", "苏州园区4S店"]

    /// Returns nil when the demo group already exists (nothing is written then).
    public static func seed(
        settings: DemoSettings, database: Database, identity: any IdentityStore, hasher: PasswordHasher, now: Date,
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> Summary? {
        if try await identity.groups(scope: .system).contains(where: { $0.code == "DEMO" }) { return nil }
        let count = max(1, min(settings.stores, storeCodes.count))
        let group = try await identity.createGroup(GroupDraft(code: "DEMO", name: "示范汽车集团"), scope: .system)
        var stores: [Store] = []
        for index in 0..<count {
            stores.append(
                try await identity.createStore(
                    StoreDraft(
                        code: storeCodes[index], name: storeNames[index], groupId: group.id,
                        phone: "400-800-\(String(format: "%04d", 1000 + index))"),
                    scope: .system))
        }
        let hash = try await hasher.hash(Bootstrap.demoPassword)
        func user(
            _ login: String, _ name: String, _ role: Role, stores: [Int64] = [], language: Language = .zhCN
        )
            async throws -> User
        {
            try await identity.createUser(
                UserDraft(
                    login: login, name: name, role: role, groupId: role == .groupAnalyst ? group.id : nil,
                    storeIds: stores, language: language),
                passwordHash: hash, scope: .system)
        }
        let allIds = stores.map(\.id)
        _ = try await user("analyst", "周分析", .groupAnalyst)
        _ = try await user("manager", "王店长", .storeManager, stores: allIds)
        _ = try await user("csr", "张客服", .csr, stores: [allIds[0]])
        _ = try await user("marketing", "陈市场", .marketing, stores: allIds)
        let advisorNames = ["李顾问", "刘顾问", "赵顾问", "孙顾问"]
        var demoStores: [DemoStore] = []
        for (index, store) in stores.enumerated() {
            var advisors: [(id: Int64, name: String)] = []
            for number in 0..<advisorNames.count {
                let login =
                    index == 0 && number == 0
                    ? "advisor"
                    : index == 1 && number == 0 ? "advisor2" : "sa-\(store.code.lowercased())-\(number + 1)"
                let name = String(advisorNames[number].prefix(1)) + "\(store.code.prefix(2))顾问\(number + 1)"
                let advisor = try await user(
                    login, name, .serviceAdvisor, stores: [store.id], language: login == "advisor2" ? .en : .zhCN)
                advisors.append((advisor.id, advisor.name))
            }
            demoStores.append(DemoStore(id: store.id, code: store.code, cityIndex: index, advisors: advisors))
            // Each store's first two advisors work as a team (接车一组), led by the first.
            _ = try await SQLTeamStore(database: database, now: { now }).create(
                TeamDraft(name: "接车一组", leaderId: advisors[0].id, memberIds: [advisors[0].id, advisors[1].id]),
                storeId: store.id, scope: .system)
        }
        let writer = DemoWriter(database: database)
        var generator = DemoGenerator(
            settings: settings, stores: demoStores, firstIds: try await writer.firstIds(), now: now)
        var summary = Summary(stores: stores.count, customers: 0, vehicles: 0, repairOrders: 0)
        while let chunk = generator.nextChunk(size: 1_000) {
            try await writer.write(chunk)
            summary.customers += chunk.customers.count
            summary.vehicles += chunk.vehicles.count
            summary.repairOrders += chunk.orders.count
            progress(summary.customers)
        }
        try await writer.finish()
        return summary
    }
}
