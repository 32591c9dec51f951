import Foundation
import RevisitCore

/// The store's advisor teams and the form that writes one (name, leader, members).
struct TeamsPage {
    struct Row {
        let name: String
        let leader: String
        let members: String
        let customers: String
        let customersHref: String
        let editHref: String
    }

    struct Member {
        let id: Int64
        let name: String
        let checked: Bool
        /// The team the advisor is in now, when another: saving moves them.
        let currentTeam: String
    }

    let storeName: String
    let rows: [Row]
    let empty: Bool
    let canManage: Bool
    let csrf: String
    let action: String
    let editing: Bool
    let deleteAction: String?
    let name: String
    let leaders: [Option]
    let members: [Member]
    let error: String?
    let backHref: String

    init(
        store: Store, teams: [AdvisorTeam], advisors: [(id: Int64, name: String)], editing: AdvisorTeam?,
        draft: TeamDraft?, error: String?, canManage: Bool, csrf: String, t: (String) -> String
    ) {
        storeName = "\(store.code) \(store.name)"
        rows = teams.map { team in
            Row(
                name: team.name, leader: team.members.first { $0.id == team.leaderId }?.name ?? "—",
                members: team.members.map(\.name).joined(separator: "、"), customers: NumberText.integer(team.customers),
                customersHref: "/customers?store=\(store.id)&owner=team:\(team.id)",
                editHref: "/stores/\(store.id)/teams?edit=\(team.id)")
        }
        empty = teams.isEmpty
        self.canManage = canManage
        self.csrf = csrf
        action = editing.map { "/teams/\($0.id)" } ?? "/stores/\(store.id)/teams"
        self.editing = editing != nil
        deleteAction = editing.map { "/teams/\($0.id)/delete" }
        let shown =
            draft ?? editing.map { TeamDraft(name: $0.name, leaderId: $0.leaderId, memberIds: $0.memberIds) }
            ?? TeamDraft(name: "", memberIds: [])
        name = shown.name
        leaders =
            [Option(value: "", label: "—", selected: shown.leaderId == nil)]
            + advisors.map { Option(value: String($0.id), label: $0.name, selected: $0.id == shown.leaderId) }
        let teamOf = Dictionary(
            teams.flatMap { team in team.members.map { ($0.id, team) } }, uniquingKeysWith: { first, _ in first })
        members = advisors.map { advisor in
            let current = teamOf[advisor.id]
            return Member(
                id: advisor.id, name: advisor.name, checked: shown.memberIds.contains(advisor.id),
                currentTeam: current.flatMap { $0.id == editing?.id ? nil : $0.name } ?? "")
        }
        self.error = error
        backHref = "/stores/\(store.id)/advisors"
    }
}
