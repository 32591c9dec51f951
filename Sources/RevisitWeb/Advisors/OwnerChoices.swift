import Foundation
import RevisitCore
import RevisitStorage

/// A store's possible customer owners, its staff and its advisor teams, as the pages name and offer
/// them: one place turns an owner into a name and a select's options (advisors, then teams).
struct OwnerChoices: Sendable {
    let staff: [User]
    let teams: [AdvisorTeam]
    /// "小组 · name" / "Team · name".
    let teamLabel: @Sendable (String) -> String

    static func load(
        storeId: Int64?, auth: Authenticated, services: AppServices, language: Language
    ) async throws -> OwnerChoices {
        let label = { @Sendable (name: String) in teamName(name) { services.localizer.text($0, language) } }
        guard let storeId else { return OwnerChoices(staff: [], teams: [], teamLabel: label) }
        return OwnerChoices(
            staff: try await services.identity.users(inStore: storeId, scope: auth.scope),
            teams: try await services.teams.teams(storeId: storeId, scope: auth.scope), teamLabel: label)
    }

    /// A team as every page names it: "小组 · 接车一组".
    static func teamName(_ name: String, _ t: (String) -> String) -> String { t("team.label") + " · " + name }

    func name(_ owner: CustomerOwner) -> String {
        if let team = owner.teamId { return teams.first { $0.id == team }.map { teamLabel($0.name) } ?? "" }
        return owner.advisorId.flatMap { id in staff.first { $0.id == id }?.name } ?? ""
    }

    func name(advisorId: Int64?, teamId: Int64?) -> String { name(CustomerOwner(advisorId: advisorId, teamId: teamId)) }

    /// The select's options: `none` first (nobody / any owner), then advisors, then teams. With
    /// `activeOnly` the advisors who left are not offered, except the one already chosen: saving a form
    /// must not drop an owner nobody touched.
    func options(selected: CustomerOwner, none: String, activeOnly: Bool = false) -> [Option] {
        [Option(value: "", label: none, selected: selected == CustomerOwner())]
            + staff.filter { !activeOnly || $0.active || $0.id == selected.advisorId }.map {
                Option(value: String($0.id), label: $0.name, selected: selected.advisorId == $0.id)
            }
            + teams.map {
                Option(value: "team:\($0.id)", label: teamLabel($0.name), selected: selected.teamId == $0.id)
            }
    }
}
