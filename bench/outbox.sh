#!/usr/bin/env bash
# Outbox speed (DOMAIN §6): the time to preview and enqueue a bulk send to MESSAGES customers, and the
# rate the worker inside `serve` (SQLite) hands them to the fake gateway, as a ratio against the gateway's
# own rate with a plain client in the same invocation.
#
#   bench/outbox.sh                   # 100,000 customers
#   MESSAGES=20000 bench/outbox.sh    # quicker
#
# Targets: >= 1,000 messages/s through the outbox; the preview + enqueue of 100,000 measured.
set -euo pipefail
cd "$(dirname "$0")/.."

messages=${MESSAGES:-100000}
secret=bench-secret
work=$(mktemp -d /tmp/revisit-outboxbench-XXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

echo "== building release"
swift build -c release --product revisit >/dev/null
bin="$(swift build -c release --show-bin-path)/revisit"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "== $messages customers with mobiles"
/usr/bin/python3 - "$messages" >"$work/customers.csv" <<'PY'
import sys
print("客户编号,客户名称,手机,性别")
for i in range(int(sys.argv[1])):
    print(f"B{i:07d},客户{i},13{i:09d},{'男' if i % 2 else '女'}")
PY
"$bin" store add --code K1 --name 压测店 --data-dir "$work/data" >/dev/null
"$bin" import --store K1 --kind customers --data-dir "$work/data" "$work/customers.csv" >/dev/null
"$bin" template add --store K1 --name 通知 --kind service --data-dir "$work/data" \
  --text '{{customerName}}{{customerTitle}}您好，您的爱车保养时间到了，欢迎预约。{{storeName}}' >/dev/null

start=$(date +%s.%N)
summary=$("$bin" send --store K1 --template 通知 --data-dir "$work/data" 2>/dev/null | tail -1)
enqueue_s=$(python3 -c "import time; print(f'{time.time()-$start:.2f}')")
echo "send: $summary"

serve_port=$(free_port)
gateway_log="$work/gateway.out"
/usr/bin/python3 scripts/fake-sms-gateway.py --secret "$secret" --port 0 \
  --receipt-url "http://127.0.0.1:$serve_port/webhooks/sms/receipt" >"$gateway_log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$gateway_log" && break; sleep 0.1; done
gateway_port=$(awk '/listening/ {print $3}' "$gateway_log")

# The reference: the gateway's own rate for signed, keyed submits from a plain client (8 connections).
reference=$(/usr/bin/python3 - "$gateway_port" "$secret" <<'PY'
import hashlib, hmac, http.client, json, sys, threading, time
port, secret = int(sys.argv[1]), sys.argv[2].encode()
n, width = 20000, 8
def worker(start):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for i in range(start, n, width):
        body = json.dumps({"to": "13900000000", "text": "参考", "idempotencyKey": f"ref-{i}"}).encode()
        conn.request("POST", "/sms", body, {"Content-Type": "application/json", "Idempotency-Key": f"ref-{i}",
                     "X-Revisit-Signature": hmac.new(secret, body, hashlib.sha256).hexdigest()})
        conn.getresponse().read()
began = time.time()
threads = [threading.Thread(target=worker, args=(k,)) for k in range(width)]
[t.start() for t in threads]; [t.join() for t in threads]
print(f"{n / (time.time() - began):.0f}")
PY
)

REVISIT_ADMIN_PASSWORD=bench-password-1 "$bin" serve --data-dir "$work/data" --port "$serve_port" \
  --sms-provider http --sms-url "http://127.0.0.1:$gateway_port/sms" --sms-secret "$secret" >"$work/serve.log" 2>&1 &
pids+=($!)
db="$work/data/revisit.sqlite"
count() { sqlite3 "$db" "SELECT COUNT(*) FROM outbox_messages WHERE status IN ('submitted','delivered')" 2>/dev/null || echo 0; }
for _ in $(seq 100); do grep -q "listening" "$work/serve.log" && break; sleep 0.1; done
begin=$(date +%s.%N)
queued=$(python3 -c "import json; print(json.loads('$summary')['queued'])")
while [ "$(count)" -lt "$queued" ]; do
  sleep 0.5
  if python3 -c "import time,sys; sys.exit(0 if time.time()-$begin < 900 else 1)"; then :; else echo "timed out" >&2; exit 1; fi
done
send_s=$(python3 -c "import time; print(f'{time.time()-$begin:.2f}')")
stats=$(curl -s "http://127.0.0.1:$gateway_port/_stats")

echo
echo "preview + enqueue of $queued messages (revisit send):  ${enqueue_s} s"
rate=$(python3 -c "print(f'{$queued/$send_s:.0f}')")
echo "outbox to the gateway (worker inside serve, SQLite):  ${send_s} s   $rate messages/s   (target >= 1,000)"
echo "gateway's own rate, plain client, 8 connections:      $reference messages/s"
echo "outbox / gateway's own rate:                           $(python3 -c "print(f'{$rate/$reference:.2f}')")"
echo "gateway: $stats"
