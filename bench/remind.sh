#!/usr/bin/env bash
# The daily reminder run at scale (DOMAIN §5) against a full segmentation run on the same data, in the
# same invocation, and the same day once more to show it creates nothing new.
#
#   bench/remind.sh                    # the 1,000,000-customer store of bench/segment.sh (~1.5 M vehicles)
#   CUSTOMERS=100000 bench/remind.sh   # a smaller store
#
# One demo store (generated once and shared with bench/segment.sh). The store's reminders are deleted
# first so every invocation measures a first run of the day; the second run of the same day must create
# none and count them all as already there.
set -euo pipefail
cd "$(dirname "$0")/.."

customers=${CUSTOMERS:-1000000}
as_of=${AS_OF:-2026-11-24}
data=${BENCH_DATA:-/tmp/revisit-segbench-$customers}
db=$data/revisit.sqlite
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }

echo "== building release"
swift build -c release --product revisit >/dev/null
bin="$(swift build -c release --show-bin-path)/revisit"
work=$(mktemp -d /tmp/revisit-remindbench-XXXX)
trap 'rm -rf "$work"' EXIT

if [ ! -f "$data/.complete" ]; then
  echo "== generating $customers customers, 1 store, 5 years into $data (once)"
  rm -rf "$data"
  mkdir -p "$data"
  "$bin" demo --data-dir "$data" --customers "$customers" --stores 1 --years 5 --seed 42 --today "$as_of" \
    | tail -2 | head -1 >"$data/generation.txt"
  touch "$data/.complete"
fi
"$bin" migrate --data-dir "$data" >/dev/null
store=$(sqlite3 "$db" "SELECT id FROM stores WHERE code = 'BJ01'")
vehicles=$(sqlite3 "$db" "SELECT COUNT(*) FROM vehicles WHERE store_id = $store")
orders=$(sqlite3 "$db" "SELECT COUNT(*) FROM repair_orders WHERE store_id = $store")
echo "== $customers customers, $vehicles vehicles, $orders repair orders, as of $as_of"

# `timed NAME cmd…`: wall seconds into $secs, peak RSS (MB) into $mb, stdout's last line into $last.
timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
    echo "failed: $*" >&2
    tail -20 "$work/$name.err" >&2
    exit 1
  }
  read -r secs kb < <(tail -1 "$work/$name.time")
  mb=$((kb / 1024))
  last=$(tail -1 "$work/$name.out")
}

echo "-- segmentation (the reference run)"
timed segment "$bin" segment --data-dir "$data" --store BJ01 --as-of "$as_of"
segment_s=$secs
echo "   $segment_s s, peak $mb MB; $(grep -h ' customers in ' "$work/segment.err")"

sqlite3 "$db" "DELETE FROM outbox_messages WHERE store_id = $store; DELETE FROM reminders WHERE store_id = $store;
  DELETE FROM reminder_runs WHERE store_id = $store;"
echo "-- reminders, first run of the day"
timed remind1 "$bin" remind --data-dir "$data" --store BJ01 --as-of "$as_of"
first_s=$secs
first=$last
echo "   $first_s s, peak $mb MB; $(cat "$work/remind1.err")"
echo "   $first"
echo "-- reminders, the same day again"
timed remind2 "$bin" remind --data-dir "$data" --store BJ01 --as-of "$as_of"
second_s=$secs
second=$last
echo "   $second_s s; $second"

created=$(python3 -c "import json,sys; print(sum(json.loads(sys.argv[1])['created'].values()))" "$first")
again=$(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(sum(d['created'].values()), d['alreadyExisting'])" "$second")
read -r again_created again_existing <<<"$again"

echo
echo "Reminder run, SQLite, $vehicles vehicles ($customers customers, $orders repair orders)"
echo "  first run:              $first_s s, $created reminders created"
echo "  segmentation run:       $segment_s s"
echo "  reminders / segment:    $(python3 -c "print(f'{$first_s/$segment_s:.2f}')")"
echo "  same day again:         $second_s s, created $again_created, already there $again_existing"
if [ "$again_created" != 0 ] || [ "$again_existing" != "$created" ]; then
  echo "  IDEMPOTENCE FAILED: the second run should create nothing and find all $created" >&2
  exit 1
fi
echo "  idempotent:             yes (nothing new; all $created found)"
