import Foundation
import RevisitCore

/// The store's assignment rules as the manager sets them on the comparison page (DOMAIN §4): for each
/// value class the advisors and teams its customers go to (none chosen: the general pool), the brands
/// with their specialists, the general pool, and whether imports assign at once.
struct AssignmentRulesForm {
    struct ClassRow {
        let valueClass: String
        let label: String
        let field: String
        let owners: [Option]
    }

    struct BrandRow {
        let index: Int
        let brand: String
        let advisors: [Option]
    }

    /// Brand rows the form offers (filled ones plus empty slots).
    static let brandSlots = 3

    let action: String
    let classes: [ClassRow]
    let brands: [BrandRow]
    let general: [Option]
    let onImport: Bool

    init(
        settings: AssignmentSettings, advisors: [(id: Int64, name: String)], teams: [(id: Int64, name: String)],
        action: String, t: (String) -> String
    ) {
        self.action = action
        func options(advisorIds: [Int64], teamIds: [Int64], withTeams: Bool = true) -> [Option] {
            advisors.map { Option(value: String($0.id), label: $0.name, selected: advisorIds.contains($0.id)) }
                + (withTeams
                    ? teams.map {
                        Option(
                            value: "team:\($0.id)", label: OwnerChoices.teamName($0.name, t),
                            selected: teamIds.contains($0.id))
                    } : [])
        }
        classes = ValueClass.allCases.map { valueClass in
            let rule = settings.rules.first { $0.valueClasses.contains(valueClass) }
            return ClassRow(
                valueClass: valueClass.rawValue, label: t("segment.value.\(valueClass.rawValue)"),
                field: "class\(valueClass.rawValue)",
                owners: options(advisorIds: rule?.advisorIds ?? [], teamIds: rule?.teamIds ?? []))
        }
        let filled = settings.byBrand.sorted { $0.key < $1.key }
        brands = (0..<max(Self.brandSlots, filled.count + 1)).map { index in
            let entry = index < filled.count ? filled[index] : nil
            return BrandRow(
                index: index, brand: entry?.key ?? "",
                advisors: options(advisorIds: entry?.value ?? [], teamIds: [], withTeams: false))
        }
        general = options(advisorIds: settings.advisorIds, teamIds: settings.teamIds)
        onImport = settings.onImport
    }

    /// The settings a submitted form says; a class with nobody chosen falls to the general pool.
    static func settings(_ form: FormData) -> AssignmentSettings {
        func owners(_ field: String) -> [CustomerOwner] {
            form.all(field).compactMap(CustomerOwner.init(choice:)).filter { $0 != CustomerOwner() }
        }
        var settings = AssignmentSettings()
        for valueClass in ValueClass.allCases {
            let pool = owners("class\(valueClass.rawValue)")
            guard !pool.isEmpty else { continue }
            settings.rules.append(
                AssignmentSettings.Rule(
                    valueClasses: [valueClass], advisorIds: pool.compactMap(\.advisorId),
                    teamIds: pool.compactMap(\.teamId)))
        }
        for index in 0..<64 where form.has("brand\(index)") {
            let brand = form["brand\(index)"].trimmingCharacters(in: .whitespaces)
            let pool = owners("brandAdvisors\(index)").compactMap(\.advisorId)
            if !brand.isEmpty && !pool.isEmpty { settings.byBrand[brand] = pool }
        }
        let general = owners("general")
        settings.advisorIds = general.compactMap(\.advisorId)
        settings.teamIds = general.compactMap(\.teamId)
        settings.onImport = form.has("onImport")
        return settings
    }
}
