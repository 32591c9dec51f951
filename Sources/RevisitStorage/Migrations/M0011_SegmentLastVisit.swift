/// Each customer's last visit as of the run, kept with the classes: an advisor's monthly churn (DOMAIN
/// §4) counts the customers whose twelve months without a visit ran out in the month, which needs it for
/// every customer at once.
extension Migration {
    static let m0011SegmentLastVisit = Migration(version: 11, name: "segment last visit") { _ in
        ["ALTER TABLE customer_segments ADD COLUMN last_visit TEXT"]
    }
}
