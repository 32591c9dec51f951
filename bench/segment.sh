#!/usr/bin/env bash
# Segmentation at scale (DOMAIN §3) against DuckDB computing the same classes, in the same run.
#
#   bench/segment.sh                    # 1,000,000 customers and 100,000 (each generated once, then reused)
#   CUSTOMERS=100000 bench/segment.sh   # 100,000 and 10,000
#   PG=1 bench/segment.sh               # also on a throwaway PostgreSQL cluster (generated each time)
#
# One demo store holds every customer, so one `revisit segment` run classifies all N. It runs twice: the
# store's first run (every class written) as of the day before, then the next night's run, which counts:
# it classifies every customer again, as every run does, and writes the classes that changed in a day. The reference: the same rows exported to CSV (`sqlite3 -csv`, or psql's
# \copy on PostgreSQL; timed apart), read by DuckDB, which materializes one row of classes per customer,
# also twice, the second counting (bench/segment_reference.py); its counts are checked against revisit's
# summary line and, customer by customer, against revisit's stored classes (RFM included). Then the
# dashboards' API and pages (store and group, as a manager and a group analyst) on the large data, served.
# Targets: revisit <= 3 x DuckDB's time; 10 x the customers takes <= 12 x the time; dashboards <= 300 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

customers=${CUSTOMERS:-1000000}
small=$((customers / 10))
as_of=${AS_OF:-2026-11-24}
day_before=$(date -d "$as_of - 1 day" +%F)
requests=${REQUESTS:-20}
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install -q duckdb

echo "== building release"
swift build -c release --product revisit >/dev/null
bin="$(swift build -c release --show-bin-path)/revisit"

# `timed NAME cmd…`: runs cmd with stdout/stderr in $work/NAME.{out,err}; sets $secs and $kb (peak RSS).
work=$(mktemp -d /tmp/revisit-segbench-run-XXXX)
timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
    echo "failed: $*" >&2
    tail -20 "$work/$name.err" >&2
    exit 1
  }
  read -r secs kb < <(tail -1 "$work/$name.time")
}
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
declare -A seg1 seg2 rss phase summary ref ref_detail export_s gen_s orders check load dash runs_at_start

server=""
cluster=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$cluster" ] && scripts/pg-cluster stop "$cluster" || true
  rm -rf "$work"
}
trap cleanup EXIT

# `segment_twice KEY CLEAR args…`: two runs of revisit segment, as a store lives them. Run 1 is the store's
# first (CLEAR, a shell command, empties its kept classes first), as of the day before: it writes every
# customer's and vehicle's classes. Run 2 is the next night's, as of the day: it classifies everyone again
# and writes what changed in a day. Run 2 is the figure.
segment_twice() {
  local key=$1 clear=$2
  shift 2
  eval "$clear"
  sync # the clearing's write-back is not the run's
  # The database read once beforehand, as DuckDB's CSVs are warm from their export: the release build
  # before may have pushed it out of the page cache, and a cold 5 GB read is the disk's time, not ours.
  [ -n "$warm" ] && cat "$warm" "$warm-wal" >/dev/null 2>&1 || true
  load[$key]=$(cut -d' ' -f1-3 /proc/loadavg)
  timed seg1 "$bin" segment --store BJ01 --as-of "$day_before" "$@"
  seg1[$key]=$secs
  timed seg2 "$bin" segment --store BJ01 --as-of "$as_of" "$@"
  seg2[$key]=$secs
  rss[$key]=$((kb / 1024))
  summary[$key]=$(tail -1 "$work/seg2.out")
  phase[$key]="$(grep -h ' customers in ' "$work/seg1.err" | tr '\n' ' ')/ $(grep -h ' customers in ' "$work/seg2.err")"
  echo "   run 1 (first, as of $day_before): ${seg1[$key]} s, run 2 (next night): ${seg2[$key]} s," \
    "peak ${rss[$key]} MB; stderr: ${phase[$key]}"
  echo "   ${summary[$key]}"
}

# `reference KEY DATA [--revisit-json …]`: DuckDB over DATA's CSVs; prints its output, sets ref[KEY].
reference() {
  local key=$1 dir=$2
  shift 2
  python3 bench/segment_reference.py "$dir/customers.csv" "$dir/orders.csv" "$as_of" "$@" | tee "$work/ref.out" |
    sed 's/^/   /'
  ref[$key]=$(awk '/^reference seconds:/ {print $3}' "$work/ref.out")
  ref_detail[$key]=$(awk '/^duckdb [0-9.]*, / {print $3, $4} /^duckdb run 1:/ {sub(/^duckdb /, ""); print}' \
    "$work/ref.out" | paste -sd ' ')
  check[$key]=$(awk '/^reference mismatches:/ {print ($3 == 0 ? "MATCH" : $3 " differences (see above)")}' "$work/ref.out")
}

# ---------------------------------------------------------------- SQLite, both sizes
for n in "$small" "$customers"; do
  data=/tmp/revisit-segbench-$n
  db=$data/revisit.sqlite
  if [ ! -f "$data/.complete" ]; then
    echo "== generating $n customers, 1 store, 5 years into $data (once)"
    rm -rf "$data"
    mkdir -p "$data"
    timed demo "$bin" demo --data-dir "$data" --customers "$n" --stores 1 --years 5 --seed 42 --today "$as_of"
    tail -2 "$work/demo.out" | head -1 >"$data/generation.txt"
    echo "generation: $secs s, peak $((kb / 1024)) MB, by $(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
      >>"$data/generation.txt"
    touch "$data/.complete"
  fi
  gen_s[$n]=$(paste -sd ' ' "$data/generation.txt")
  store_id=$(sqlite3 "$db" "SELECT id FROM stores WHERE code = 'BJ01'")
  orders[$n]=$(sqlite3 "$db" "SELECT COUNT(*) FROM repair_orders WHERE store_id = $store_id AND customer_id IS NOT NULL")
  live=$(sqlite3 "$db" "SELECT COUNT(*) FROM customers WHERE store_id = $store_id AND merged_into_id IS NULL")
  echo "== SQLite, $n customers ($live live, ${orders[$n]} repair orders, $(du -sh "$db" | cut -f1)); ${gen_s[$n]}"

  echo "-- revisit segment: the store's first run, then the next night's"
  warm=$db segment_twice "sqlite-$n" "sqlite3 $db 'DELETE FROM customer_segments; DELETE FROM vehicle_segments'" \
    --data-dir "$data"
  sqlite3 -csv -header "$db" "SELECT customer_id, value_class, quadrant, rfm_r, rfm_f, rfm_m, churn_stage
    FROM customer_segments WHERE store_id = $store_id" >"$data/revisit-classes.csv"

  # The reference's input: the same rows as revisit reads, exported once per run (not part of its time).
  echo "-- export to CSV"
  timed export sqlite3 "$db" ".headers on" ".mode csv" \
    ".once $data/customers.csv" "SELECT id FROM customers WHERE store_id = $store_id AND merged_into_id IS NULL" \
    ".once $data/orders.csv" "SELECT customer_id, opened_on, total_fen, cost_fen FROM repair_orders
      WHERE store_id = $store_id AND customer_id IS NOT NULL"
  export_s[$n]=$secs
  echo "   $secs s ($(du -h "$data/orders.csv" | cut -f1) of repair orders)"

  echo "-- DuckDB reference"
  reference "sqlite-$n" "$data" --revisit-json "revisit(SQLite)=${summary[sqlite-$n]}" \
    --revisit-classes "revisit(SQLite)=$data/revisit-classes.csv"
done

# ---------------------------------------------------------------- Dashboards, on the large data
# `dashboards KEY QUERY serve-args…`: serves the data the args name (--data-dir or --database-url), waits for
# the runs serve starts with, then times the dashboards' API and pages; QUERY names a function printing one
# SQL query's value. Sets dash[KEY] (the figures' lines) and runs_at_start[KEY].
dashboards() {
  local key=$1 query=$2
  shift 2
  local store_id group_id hour today message line started port base jar csrf
  store_id=$($query "SELECT id FROM stores WHERE code = 'BJ01'")
  group_id=$($query "SELECT group_id FROM stores WHERE code = 'BJ01'")
  # serve starts the day's background runs when today's is missing and its hour has passed (store time):
  # the nightly segmentation (02:00) and the daily reminders (06:00). The dashboards are timed after them,
  # not during them.
  hour=$(TZ=Asia/Shanghai date +%-H)
  today=$(TZ=Asia/Shanghai date +%F)
  missing() { # missing TABLE HOUR TRIGGER -> 1 when serve will run it at start
    $query "SELECT CASE WHEN COUNT(*) = 0 AND $hour >= $2 THEN 1 ELSE 0 END FROM $1
      WHERE store_id = $store_id AND trigger_kind = '$3' AND as_of = '$today'" 2>/dev/null || echo 0
  }
  local background=()
  [ "$(missing segment_runs 2 nightly)" = 1 ] && background+=("nightly segmentation")
  [ "$(missing reminder_runs 6 daily)" = 1 ] && background+=("daily reminders")
  # Before serve: on SQLite its runs at start hold the write lock longer than the CLI waits for it.
  local manager analyst
  manager=$("$bin" token create "$@" --login manager --name bench | tail -1)
  analyst=$("$bin" token create "$@" --login analyst --name bench | tail -1)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "== serving $customers customers ($key) on :$port"
  started=$(date +%s.%N)
  "$bin" serve "$@" --port "$port" --admin-password bench-admin-password --log-format json \
    >"$work/server-$key.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
  base="http://127.0.0.1:$port"
  runs_at_start[$key]=""
  for message in "${background[@]}"; do
    echo "-- waiting for the $message serve starts with"
    for _ in $(seq 1 7200); do grep -q "\"message\":\"$message" "$work/server-$key.log" && break; sleep 0.5; done
    line=$(grep -h "\"message\":\"$message" "$work/server-$key.log" | tail -1 | python3 -c \
      'import json,sys; l=json.loads(sys.stdin.read() or "{}"); print(l.get("message", "not seen"), l.get("ms", "?"), "ms", l.get("error", ""))')
    runs_at_start[$key]+="${runs_at_start[$key]:+; }$line, done $(python3 -c "import time; print(f'{time.time() - $started:.1f}')") s after start"
    echo "   $line"
  done
  runs_at_start[$key]=${runs_at_start[$key]:-"none (today's runs exist or their hour has not come)"}

  # `latency PATH [curl args]`: $requests sequential requests; "median max first" in ms and non-200 count.
  latency() {
    local path=$1
    shift
    for _ in $(seq 1 "$requests"); do
      curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$@" "$base$path"
    done | python3 -c '
import statistics, sys
rows = [line.split() for line in sys.stdin]
ms = [float(t) * 1000 for _, t in rows]
bad = sum(code != "200" for code, _ in rows)
print(f"median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms, first {ms[0]:.1f} ms" + (f", NON-200: {bad}" if bad else ""))'
  }
  # The HTML pages need a session: the login form's CSRF field and cookie, then the user's password.
  session() { # session LOGIN -> the cookie jar
    jar=$work/cookies-$1
    csrf=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
    curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "login=$1" \
      --data-urlencode password=revisit-demo "$base/login"
  }
  session manager
  session analyst
  dash[$key]="$(
    printf '  %-44s %s\n' \
      "GET /api/v1/segments/metrics:" "$(latency "/api/v1/segments/metrics?storeId=$store_id" -H "Authorization: Bearer $manager")" \
      "GET /api/v1/segments/lifetime-value:" "$(latency "/api/v1/segments/lifetime-value?storeId=$store_id" -H "Authorization: Bearer $manager")" \
      "GET /api/v1/segments/compare (analyst):" "$(latency "/api/v1/segments/compare?groupId=$group_id" -H "Authorization: Bearer $analyst")" \
      "GET /stores/$store_id/dashboard (HTML):" "$(latency "/stores/$store_id/dashboard" -b "$work/cookies-manager")" \
      "GET /stores/$store_id/lifetime-value (HTML):" "$(latency "/stores/$store_id/lifetime-value" -b "$work/cookies-manager")" \
      "GET /groups/$group_id/dashboard (HTML, analyst):" "$(latency "/groups/$group_id/dashboard" -b "$work/cookies-analyst")"
  )"
  echo "${dash[$key]}"
  kill "$server" && wait "$server" 2>/dev/null || true
  server=""
}
data=/tmp/revisit-segbench-$customers
db=$data/revisit.sqlite
sqlite_value() { sqlite3 "$db" "$1"; }
dashboards sqlite sqlite_value --data-dir "$data"

# ---------------------------------------------------------------- PostgreSQL (PG=1)
if [ "${PG:-0}" = 1 ]; then
  cluster=/tmp/revisit-segbench-pg
  scripts/pg-cluster stop "$cluster" 2>/dev/null || true
  url=$(scripts/pg-cluster start "$cluster")
  # psql's \copy takes its query on one line.
  bj01="JOIN stores t ON t.id = x.store_id AND t.code = 'BJ01'"
  classes_q="SELECT customer_id, value_class, quadrant, rfm_r, rfm_f, rfm_m, churn_stage FROM customer_segments x $bj01"
  customers_q="SELECT x.id FROM customers x $bj01 WHERE x.merged_into_id IS NULL"
  orders_q="SELECT customer_id, opened_on, total_fen, cost_fen FROM repair_orders x $bj01 WHERE customer_id IS NOT NULL"
  for n in "$small" "$customers"; do
    # One database per size in the same cluster.
    psql "${url%%\?*}" -q -c "CREATE DATABASE revisit_$n"
    nurl=${url/revisit_test/revisit_$n}
    purl=${nurl%%\?*}
    echo "== PostgreSQL, $n customers"
    timed pgdemo "$bin" demo --database-url "$nurl" --customers "$n" --stores 1 --years 5 --seed 42 --today "$as_of"
    gen_s[pg-$n]="$(tail -2 "$work/pgdemo.out" | head -1) generation: $secs s, peak $((kb / 1024)) MB"
    psql "$purl" -q -c "VACUUM ANALYZE"
    echo "   ${gen_s[pg-$n]}"
    echo "-- revisit segment: the store's first run, then the next night's"
    warm="" segment_twice "pg-$n" true --database-url "$nurl"
    psql "$purl" -q -c "\\copy ($classes_q) TO '$work/pg-classes.csv' WITH (FORMAT csv, HEADER true)"
    # The reference reads this database's own rows: the same as SQLite's unless the generator changed since.
    echo "-- export to CSV (psql \\copy)"
    mkdir -p "$work/pg-$n"
    timed pgexport psql "$purl" -q \
      -c "\\copy ($customers_q) TO '$work/pg-$n/customers.csv' WITH (FORMAT csv, HEADER true)" \
      -c "\\copy ($orders_q) TO '$work/pg-$n/orders.csv' WITH (FORMAT csv, HEADER true)"
    export_s[pg-$n]=$secs
    orders[pg-$n]=$(($(wc -l <"$work/pg-$n/orders.csv") - 1))
    echo "   $secs s, ${orders[pg-$n]} repair orders"
    echo "-- DuckDB reference"
    reference "pg-$n" "$work/pg-$n" --revisit-json "revisit(PostgreSQL)=${summary[pg-$n]}" \
      --revisit-classes "revisit(PostgreSQL)=$work/pg-classes.csv"
    if [ "$n" = "$customers" ]; then
      pg_value() { psql "$purl" -tAq -c "$1"; }
      dashboards pg pg_value --database-url "$nurl"
    fi
  done
fi

# ---------------------------------------------------------------- Figures
report() { # report ENGINE PREFIX
  local engine=$1 p=$2 big="$2-$customers" little="$2-$small"
  echo
  echo "$engine, as of $as_of (one store)"
  for n in "$customers" "$small"; do
    local o=${orders[$p-$n]:-${orders[$n]}}
    echo "  $n customers, $o repair orders ($(python3 -c "print(f'{$o/$n:.1f}')") per customer)"
    echo "    revisit segment:        run 1 (first) ${seg1[$p-$n]} s, run 2 (next night) ${seg2[$p-$n]} s," \
      "peak ${rss[$p-$n]} MB (load average before: ${load[$p-$n]})"
    echo "      stderr (run 1 / 2):   ${phase[$p-$n]}"
    echo "    DuckDB reference:       ${ref[$p-$n]} s, run 2  (${ref_detail[$p-$n]})"
    echo "    revisit / DuckDB:       $(ratio "${seg2[$p-$n]}" "${ref[$p-$n]}") (run 2); run 1 (first): $(ratio "${seg1[$p-$n]}" "${ref[$p-$n]}")"
    echo "    classes vs DuckDB:      ${check[$p-$n]}"
  done
  echo "  revisit / DuckDB at $customers:     $(ratio "${seg2[$big]}" "${ref[$big]}")  (target <= 3.0)"
  echo "  10x growth, revisit:      $(ratio "${seg2[$big]}" "${seg2[$little]}")  (target <= 12)"
  echo "  10x growth, DuckDB:       $(ratio "${ref[$big]}" "${ref[$little]}")"
}
report SQLite sqlite
for n in "$customers" "$small"; do
  echo "  export to CSV at $n:  ${export_s[$n]} s (not in the reference's time)"
  echo "  data at $n:           ${gen_s[$n]}"
done
echo
dashboards_report() { # dashboards_report KEY ENGINE
  echo "Dashboards at $customers customers ($2, $requests sequential requests each; target <= 300 ms)"
  echo "  background runs at start: ${runs_at_start[$1]}"
  echo "${dash[$1]}"
}
dashboards_report sqlite SQLite
if [ "${PG:-0}" = 1 ]; then
  report PostgreSQL pg
  for n in "$customers" "$small"; do
    echo "  export to CSV at $n:  ${export_s[pg-$n]} s (not in the reference's time)"
    echo "  data at $n:           ${gen_s[pg-$n]}"
  done
  echo
  dashboards_report pg PostgreSQL
fi
