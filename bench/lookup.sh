#!/usr/bin/env bash
# Screen-pop lookup and customer search at scale, on the embedded SQLite database.
#
#   bench/lookup.sh                 # 1,000,000 customers (generated once, then reused)
#   CUSTOMERS=100000 bench/lookup.sh
#
# Builds release, generates the demo dealership, starts the server, and measures with wrk (32
# connections): the lookup's p99 and throughput against the same server's /health in the same run, then
# the customer search by phone suffix, by plate, and the first list page. Prints every figure and the
# ratios. Targets: lookup p99 <= 10 ms, lookup throughput >= 0.5 x /health, searches <= 100 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

customers=${CUSTOMERS:-1000000}
duration=${DURATION:-20s}
data=${BENCH_DATA:-/tmp/revisit-bench-$customers}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }

echo "== building release"
swift build -c release --product revisit >/dev/null
bin="$(swift build -c release --show-bin-path)/revisit"

if [ ! -f "$data/.complete" ]; then
  echo "== generating $customers customers into $data (once)"
  rm -rf "$data"
  /usr/bin/time -f "generation: %e s, max RSS %M KB" "$bin" demo --data-dir "$data" --customers "$customers" \
    --stores 3 --seed 42 --today 2026-11-24
  touch "$data/.complete"
fi
sqlite3 "$data/revisit.sqlite" "SELECT 'customers: ' || COUNT(*) FROM customers; SELECT 'repair orders: ' || COUNT(*) FROM repair_orders;"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --data-dir "$data" --port "$port" --admin-password bench-admin-password >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
token=$("$bin" token create --data-dir "$data" --login manager --name bench | tail -1)
base="http://127.0.0.1:$port"

# 2,000 real numbers, written the way telephone systems send them (+86 and dashes).
script=$(mktemp /tmp/revisit-lookup-XXXX.lua)
{
  echo "local phones = {"
  sqlite3 "$data/revisit.sqlite" "SELECT digits FROM customer_phones WHERE format = 'mobile' ORDER BY (id * 7919) % 100003 LIMIT 2000" |
    sed 's/^\(...\)\(....\)\(....\)$/"%2B86%20\1-\2-\3",/'
  echo "}"
  echo "local i = 0"
  echo "request = function()"
  echo "  i = i + 1"
  echo "  return wrk.format('GET', '/api/v1/lookup?phone=' .. phones[(i % #phones) + 1], {['Authorization'] = 'Bearer $token'})"
  echo "end"
} >"$script"

run_wrk() { wrk -t2 -c32 -d"$duration" --latency "$@" 2>&1; }
p99() { awk '/ 99%/ {print $2}'; }
rps() { awk '/Requests\/sec/ {print $2}'; }
ms() { # wrk prints 850.00us, 1.20ms or 1.02s
  awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v); print v} else {sub(/s/,"",v); print v*1000}}'
}

# Both endpoints are measured on a warm server: the first pass over freshly generated data reads it from
# disk, which is not what a front desk sees all day.
echo "== warm-up: /api/v1/lookup and /health, 10s each"
wrk -t2 -c32 -d10s -s "$script" "$base/api/v1/lookup" >/dev/null
wrk -t2 -c32 -d10s "$base/health" >/dev/null
echo "== /health (reference), 32 connections, $duration"
health=$(run_wrk "$base/health")
echo "== /api/v1/lookup, 32 connections, $duration"
lookup=$(run_wrk -s "$script" "$base/api/v1/lookup")
health_rps=$(echo "$health" | rps); lookup_rps=$(echo "$lookup" | rps)
health_p99=$(echo "$health" | p99 | ms); lookup_p99=$(echo "$lookup" | p99 | ms)
errors=$(echo "$lookup" | awk '/Non-2xx/ {print $4}')

# Searches: one connection, the median of many runs of each kind.
search() {
  local path=$1 runs=${2:-30}
  for _ in $(seq 1 "$runs"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$base$path"
  done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int(NR/2)+1]*1000}'
}
suffix=$(sqlite3 "$data/revisit.sqlite" "SELECT substr(digits, 8) FROM customer_phones WHERE format='mobile' LIMIT 1 OFFSET 777")
plate=$(sqlite3 "$data/revisit.sqlite" "SELECT plate FROM vehicles WHERE plate_flag = 0 LIMIT 1 OFFSET 4321")
plate_q=$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1]))" "$plate")
health_ms=$(search "/health")
suffix_ms=$(search "/api/v1/customers?q=$suffix&limit=50")
plate_ms=$(search "/api/v1/customers?q=$plate_q&limit=50")
first_ms=$(search "/api/v1/customers?limit=50")

echo
echo "customers:                 $customers"
echo "/health:                   $health_rps req/s, p99 $health_p99 ms"
echo "lookup:                    $lookup_rps req/s, p99 $lookup_p99 ms${errors:+, non-2xx $errors}"
echo "lookup / health throughput: $(python3 -c "print(f'{$lookup_rps/$health_rps:.2f}')")  (target >= 0.50)"
echo "lookup p99:                $lookup_p99 ms  (target <= 10)"
echo "search by phone suffix:    $suffix_ms ms median  (target <= 100; /health $health_ms ms)"
echo "search by plate:           $plate_ms ms median  (target <= 100)"
echo "first list page:           $first_ms ms median  (target <= 100)"
