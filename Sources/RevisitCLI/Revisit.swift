import ArgumentParser

@main
struct Revisit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revisit",
        abstract: "After-sales customer-relationship system for car dealerships.",
        discussion: """
            With no settings everything is kept in an SQLite database under ./revisit-data. Set \
            --database-url or DATABASE_URL (postgres://user:password@host:5432/db) to run on PostgreSQL.
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, StoreCommand.self, GroupCommand.self, UserCommand.self,
            TokenCommand.self, DemoCommand.self,
        ])
}
