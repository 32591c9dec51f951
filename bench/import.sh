#!/usr/bin/env bash
# DMS import speed and memory against each engine's own bulk loader, in the same run.
#
#   bench/import.sh                  # 1,000,000 rows (the file is generated once, then reused)
#   ROWS=100000 bench/import.sh      # quicker
#   PG=0 bench/import.sh             # SQLite only
#
# Generates a flattened repair-order export (one line item per row) in GB18030 with Chinese headers,
# loads it with the sqlite3 shell's .import into a bare table (the engine's reference), then with
# `revisit import` into an empty store, then again (nothing changed). On PostgreSQL the reference is
# psql's \copy. Prints rows/s, the ratios and peak memory. Targets: import >= 0.5 x the reference and
# >= 100,000 rows/s, peak memory <= 300 MB, re-import >= 2 x faster than the first.
set -euo pipefail
cd "$(dirname "$0")/.."

rows=${ROWS:-1000000}
work=${BENCH_DATA:-/tmp/revisit-bench-import}
mkdir -p "$work"
file="$work/ro-$rows.csv"
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }

echo "== building release"
swift build -c release --product revisit >/dev/null
bin="$(swift build -c release --show-bin-path)/revisit"

[ -f "$file" ] || { echo "== generating $rows rows into $file"; python3 bench/gen_ro_file.py "$rows" "$file"; }
echo "file: $(du -h "$file" | cut -f1), $rows rows, GB18030"

# Each timed run starts once the writes before it are on disk: otherwise the kernel's write-back of
# the previous run's few hundred MB competes with it (a re-import timed right after the first import
# measured 10-30 % slower than the same re-import a minute later).
seconds() { sync; /usr/bin/time -f "%e %M" "$@" 2>"$work/time.txt" >"$work/out.txt"; tail -1 "$work/time.txt"; }
rate() { python3 -c "print(f'{$1/$2:,.0f}')"; }

# SQLite reference: the shell's own CSV import into a bare table.
rm -f "$work/ref.sqlite"
read -r ref_s _ < <(seconds sqlite3 "$work/ref.sqlite" \
  "CREATE TABLE t(a,b,c,d,e,f,g,h,i,j,k,l,m,n)" ".mode csv" ".import --skip 1 $file t")

data="$work/sqlite"
rm -rf "$data"
"$bin" store add --code BJ01 --name 北京店 --data-dir "$data" >/dev/null
read -r first_s first_kb < <(seconds "$bin" import --store BJ01 --kind repair-orders --data-dir "$data" "$file")
first_summary=$(tail -1 "$work/out.txt")
read -r again_s again_kb < <(seconds "$bin" import --store BJ01 --kind repair-orders --data-dir "$data" "$file")
again_summary=$(tail -1 "$work/out.txt")
rm -f revisit-import-*-errors.csv

echo
echo "SQLite"
echo "  sqlite3 .import (reference):  $ref_s s   $(rate "$rows" "$ref_s") rows/s"
echo "  revisit import:               $first_s s   $(rate "$rows" "$first_s") rows/s   peak $((first_kb / 1024)) MB"
echo "    $first_summary"
echo "  re-import (unchanged):        $again_s s   $(rate "$rows" "$again_s") rows/s   peak $((again_kb / 1024)) MB"
echo "    $again_summary"
echo "  import / .import:             $(python3 -c "print(f'{$ref_s/$first_s:.2f}')")  (target >= 0.50)"
echo "  first / re-import time:       $(python3 -c "print(f'{$first_s/$again_s:.2f}')")  (target >= 2)"

if [ "${PG:-1}" != 0 ]; then
  cluster="$work/pg"
  scripts/pg-cluster stop "$cluster" 2>/dev/null || true
  url=$(scripts/pg-cluster start "$cluster")
  trap 'scripts/pg-cluster stop "$cluster"' EXIT
  psql_url=${url%%\?*}
  psql "$psql_url" -q -c "CREATE TABLE t(a text,b text,c text,d text,e text,f text,g text,h text,i text,j text,k text,l text,m text,n text)"
  read -r pref_s _ < <(seconds psql "$psql_url" -q -c "\\copy t FROM '$file' WITH (FORMAT csv, HEADER true, ENCODING 'GB18030')")
  "$bin" store add --code BJ01 --name 北京店 --database-url "$url" >/dev/null
  read -r pfirst_s pfirst_kb < <(seconds "$bin" import --store BJ01 --kind repair-orders --database-url "$url" "$file")
  read -r pagain_s _ < <(seconds "$bin" import --store BJ01 --kind repair-orders --database-url "$url" "$file")
  rm -f revisit-import-*-errors.csv
  echo
  echo "PostgreSQL"
  echo "  psql \\copy (reference):       $pref_s s   $(rate "$rows" "$pref_s") rows/s"
  echo "  revisit import:               $pfirst_s s   $(rate "$rows" "$pfirst_s") rows/s   peak $((pfirst_kb / 1024)) MB"
  echo "  re-import (unchanged):        $pagain_s s   $(rate "$rows" "$pagain_s") rows/s"
  echo "  import / \\copy:               $(python3 -c "print(f'{$pref_s/$pfirst_s:.2f}')")  (target >= 0.50)"
  echo "  first / re-import time:       $(python3 -c "print(f'{$pfirst_s/$pagain_s:.2f}')")  (target >= 2)"
fi
