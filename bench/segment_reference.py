#!/usr/bin/env python3
"""The reference for bench/segment.sh: DOMAIN §3's classes computed by DuckDB from CSV exports.

    python3 bench/segment_reference.py CUSTOMERS_CSV ORDERS_CSV AS_OF \
        [--revisit-json LINE]... [--revisit-classes CSV]...

CUSTOMERS_CSV has a header and one column `id` (the store's live customers, N = all of them);
ORDERS_CSV has `customer_id,opened_on,total_fen,cost_fen`. The timed part is what a reader would time:
reading both files and materializing one row per customer with its classes (`CREATE TABLE result`),
twice; the second run is the figure, as for revisit.
Then, untimed: the counts, compared with each `--revisit-json` summary (revisit segment's last line),
and with each `--revisit-classes` export of revisit's customer_segments, customer by customer (this is
where RFM is checked: the summary has no RFM counts).

The definition is DOMAIN §3 with the default settings, the same as Segmentation.swift and
SegmentRunSQL.swift (`activity`): an order counts at its open day with its total; the window is
(as-of − 12 months, as-of]; nothing after as-of counts; "k months before" clamps to the end of a shorter
month, which DuckDB's `date - INTERVAL k MONTH` does too.
"""
import argparse
import json
import time

import duckdb

CLASSES_SQL = """
CREATE TABLE result AS
WITH bounds AS (
    SELECT DATE '{as_of}' AS as_of,
           CAST(DATE '{as_of}' - INTERVAL 12 MONTH AS DATE) AS window_start,
           CAST(DATE '{as_of}' - INTERVAL 6 MONTH AS DATE) AS m6,
           CAST(DATE '{as_of}' - INTERVAL 9 MONTH AS DATE) AS m9,
           CAST(DATE '{as_of}' - INTERVAL 12 MONTH AS DATE) AS m12,
           CAST(DATE '{as_of}' - INTERVAL 24 MONTH AS DATE) AS m24
),
-- Every customer, those without orders too (LEFT JOIN): window revenue and visits, last visit <= as-of.
activity AS (
    SELECT c.id,
           COALESCE(SUM(o.total_fen) FILTER (WHERE o.opened_on > b.window_start AND o.opened_on <= b.as_of), 0)
               AS revenue,
           COUNT(o.opened_on) FILTER (WHERE o.opened_on > b.window_start AND o.opened_on <= b.as_of) AS visits,
           MAX(o.opened_on) FILTER (WHERE o.opened_on <= b.as_of) AS last_visit
    FROM customers c CROSS JOIN bounds b
    LEFT JOIN orders o ON o.customer_id = c.id
    GROUP BY c.id
),
-- Ranks: `rank() - 1` is the number of customers with a strictly smaller key (ties share it).
ranked AS (
    SELECT *,
           row_number() OVER (ORDER BY revenue DESC) AS by_value,
           rank() OVER (ORDER BY last_visit ASC NULLS FIRST) - 1 AS r_below,
           rank() OVER (ORDER BY visits ASC) - 1 AS f_below,
           rank() OVER (ORDER BY revenue ASC) - 1 AS m_below,
           count(*) OVER () AS n
    FROM activity
),
-- The pyramid's cuts: the value of the ceil(1 %)-th, ceil(5 %)-th and ceil(20 %)-th customer by value.
cuts AS (
    SELECT max(revenue) FILTER (WHERE by_value = (n + 99) // 100) AS cut_a,
           max(revenue) FILTER (WHERE by_value = (5 * n + 99) // 100) AS cut_b,
           max(revenue) FILTER (WHERE by_value = (20 * n + 99) // 100) AS cut_c
    FROM ranked
),
classed AS (
    SELECT r.id, r.revenue, r.visits, r.last_visit,
           CASE WHEN r.revenue <= 0 THEN 'D'
                WHEN r.revenue >= k.cut_a THEN 'A'
                WHEN r.revenue >= k.cut_b THEN 'B'
                WHEN r.revenue >= k.cut_c THEN 'C'
                ELSE 'D' END AS value_class,
           r.visits >= 2 AND COALESCE(r.last_visit > b.m6, false) AS loyal,
           least(5, 1 + (5 * r.r_below) // r.n) AS rfm_r,
           least(5, 1 + (5 * r.f_below) // r.n) AS rfm_f,
           least(5, 1 + (5 * r.m_below) // r.n) AS rfm_m,
           CASE WHEN r.last_visit IS NULL THEN 'none'
                WHEN r.last_visit > b.m6 THEN 'active'
                WHEN r.last_visit > b.m9 THEN 'semi_churned'
                WHEN r.last_visit > b.m12 THEN 'at_risk'
                WHEN r.last_visit > b.m24 THEN 'churned'
                ELSE 'lost' END AS churn_stage
    FROM ranked r CROSS JOIN cuts k CROSS JOIN bounds b
)
SELECT id, revenue, visits, last_visit, value_class,
       CASE WHEN value_class <> 'D' AND loyal THEN 'core'
            WHEN value_class <> 'D' THEN 'potential'
            WHEN loyal THEN 'regular'
            ELSE 'marginal' END AS quadrant,
       rfm_r, rfm_f, rfm_m, churn_stage
FROM classed
"""

VALUE = ["A", "B", "C", "D"]
QUADRANT = ["core", "potential", "regular", "marginal"]
STAGE = ["active", "semi_churned", "at_risk", "churned", "lost", "none"]


def counts(con, column, keys):
    found = dict(con.execute(f"SELECT {column}, count(*) FROM result GROUP BY ALL").fetchall())
    return {key: found.get(key, 0) for key in keys}


def compute(args):
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE customers AS SELECT * FROM read_csv(?, header = true, columns = {'id': 'BIGINT'})",
        [args.customers_csv])
    con.execute(
        "CREATE TABLE orders AS SELECT * FROM read_csv(?, header = true, columns = "
        "{'customer_id': 'BIGINT', 'opened_on': 'DATE', 'total_fen': 'BIGINT', 'cost_fen': 'BIGINT'})",
        [args.orders_csv])
    loaded = time.perf_counter()
    con.execute(CLASSES_SQL.format(as_of=args.as_of))
    return con, started, loaded, time.perf_counter()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("customers_csv")
    parser.add_argument("orders_csv")
    parser.add_argument("as_of")
    parser.add_argument("--revisit-json", action="append", default=[], metavar="LABEL=JSON")
    parser.add_argument("--revisit-classes", action="append", default=[], metavar="LABEL=CSV")
    args = parser.parse_args()

    # Timed, twice like revisit (the second counts): a fresh in-memory DuckDB reads both files and
    # materializes every customer's classes.
    first = compute(args)
    first[0].close()
    con, started, loaded, finished = compute(args)

    n_customers, n_orders = con.execute(
        "SELECT (SELECT count(*) FROM result), (SELECT count(*) FROM orders)").fetchone()
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(f"duckdb {duckdb.__version__}, {threads} threads: {n_customers} customers, {n_orders} repair orders")
    print(f"duckdb run 1: {first[3] - first[1]:.3f} s; run 2: read CSV: {loaded - started:.3f} s, "
          f"classes: {finished - loaded:.3f} s")
    mine = {
        "customers": n_customers,
        "value": counts(con, "value_class", VALUE),
        "quadrant": counts(con, "quadrant", QUADRANT),
        "churnStage": counts(con, "churn_stage", STAGE),
    }
    print("reference counts: " + json.dumps(mine, sort_keys=True))
    scores = {key: counts(con, f"rfm_{key}", [1, 2, 3, 4, 5]) for key in "rfm"}
    print("reference RFM, customers per score 1..5: "
          + "; ".join(f"{key} {list(scores[key].values())}" for key in "rfm"))

    # The summary lines of revisit segment: the same counts, or the differences.
    mismatches = 0
    for item in args.revisit_json:
        label, _, text = item.partition("=")
        theirs = json.loads(text)
        diffs = []
        if theirs.get("customers") != mine["customers"]:
            diffs.append(f"customers: revisit {theirs.get('customers')} duckdb {mine['customers']}")
        for group in ("value", "quadrant", "churnStage"):
            for key in sorted(set(mine[group]) | set(theirs.get(group, {}))):
                a, b = theirs.get(group, {}).get(key, 0), mine[group].get(key, 0)
                if a != b:
                    diffs.append(f"{group}.{key}: revisit {a} duckdb {b} ({a - b:+d})")
        mismatches += len(diffs)
        print(f"{label} counts vs duckdb: " + ("MATCH" if not diffs else "DIFFER\n  " + "\n  ".join(diffs)))

    # Customer by customer, every class including RFM, against revisit's stored customer_segments.
    for item in args.revisit_classes:
        label, _, path = item.partition("=")
        con.execute(
            "CREATE OR REPLACE TABLE theirs AS SELECT * FROM read_csv(?, header = true, columns = {"
            "'customer_id': 'BIGINT', 'value_class': 'VARCHAR', 'quadrant': 'VARCHAR', 'rfm_r': 'BIGINT', "
            "'rfm_f': 'BIGINT', 'rfm_m': 'BIGINT', 'churn_stage': 'VARCHAR'})", [path])
        row = con.execute(
            """
            SELECT count(*) FILTER (WHERE t.customer_id IS NULL) AS missing,
                   count(*) FILTER (WHERE r.id IS NULL) AS extra,
                   count(*) FILTER (WHERE t.value_class IS DISTINCT FROM r.value_class) AS value_class,
                   count(*) FILTER (WHERE t.quadrant IS DISTINCT FROM r.quadrant) AS quadrant,
                   count(*) FILTER (WHERE t.rfm_r IS DISTINCT FROM r.rfm_r) AS rfm_r,
                   count(*) FILTER (WHERE t.rfm_f IS DISTINCT FROM r.rfm_f) AS rfm_f,
                   count(*) FILTER (WHERE t.rfm_m IS DISTINCT FROM r.rfm_m) AS rfm_m,
                   count(*) FILTER (WHERE t.churn_stage IS DISTINCT FROM r.churn_stage) AS churn_stage
            FROM result r FULL JOIN theirs t ON t.customer_id = r.id
            """).fetchone()
        names = ["missing in revisit", "only in revisit", "value_class", "quadrant", "rfm_r", "rfm_f", "rfm_m",
                 "churn_stage"]
        diffs = [f"{name}: {count}" for name, count in zip(names, row) if count]
        mismatches += len(diffs)
        print(f"{label} per customer vs duckdb: "
              + ("MATCH (all classes incl. RFM)" if not diffs else "DIFFER: " + ", ".join(diffs)))
        if diffs:
            for sample in con.execute(
                """
                SELECT r.id, r.revenue, r.visits, r.last_visit, r.value_class, t.value_class, r.quadrant, t.quadrant,
                       [r.rfm_r, r.rfm_f, r.rfm_m], [t.rfm_r, t.rfm_f, t.rfm_m], r.churn_stage, t.churn_stage
                FROM result r FULL JOIN theirs t ON t.customer_id = r.id
                WHERE (t.value_class, t.quadrant, t.rfm_r, t.rfm_f, t.rfm_m, t.churn_stage)
                      IS DISTINCT FROM (r.value_class, r.quadrant, r.rfm_r, r.rfm_f, r.rfm_m, r.churn_stage)
                ORDER BY coalesce(r.id, t.customer_id) LIMIT 5
                """).fetchall():
                print(f"  e.g. {sample}  (duckdb first, revisit second)")

    # The figure segment.sh reads.
    print(f"reference seconds: {finished - started:.3f}")
    print(f"reference mismatches: {mismatches}")


if __name__ == "__main__":
    main()
