/// The two engines one binary runs on.
public enum DatabaseEngine: String, Sendable {
    case sqlite
    case postgresql
}
