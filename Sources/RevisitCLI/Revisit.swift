import ArgumentParser
import NIOCore
import NIOPosix

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
            TokenCommand.self, DemoCommand.self, ImportCommand.self, SegmentCommand.self, RemindCommand.self,
            WorkerCommand.self, TemplateCommand.self, SendCommand.self,
        ])
}

@main
enum Entry {
    static func main() async {
        // Swift concurrency runs on NIO's event-loop threads, so a request's handler and its socket I/O
        // share threads instead of handing every request between two pools (a measured third of the
        // screen pop's cost and most of its tail latency). It must happen first, on the main thread.
        // Work that blocks for long (bcrypt, sqlite-nio) runs on NIO's thread pool, not here.
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await Revisit.main()
    }
}
