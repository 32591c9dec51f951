#!/usr/bin/python3
"""Crash-safety test of the SMS outbox: SIGKILL revisit over and over while it sends, then check that
every queued message reached the gateway exactly once.

    bench/outbox_kill.py                          # 20 cycles, 3000 customers, SQLite
    CYCLES=200 bench/outbox_kill.py               # the full run
    DATABASE_URL=postgres://... WORKERS=3 bench/outbox_kill.py

It does not build: set REVISIT_BIN (default .build/debug/revisit, relative to the repository).

1. Starts scripts/fake-sms-gateway.py (receipts to the server's fixed port, every receipt twice, 2 ms per
   submit, a few submits left without an answer), creates store K1, imports MESSAGES customers, adds a
   service template and runs `revisit send`.
2. CYCLES times: starts `revisit serve` (plus WORKERS `revisit worker` processes on PostgreSQL), kills
   everything with SIGKILL 0.3-2.5 s after the server reports listening (in some cycles at a random moment
   from launch, possibly while it starts), and every SEND_EVERY cycles queues another round of messages
   with a new template while nothing runs.
3. Starts the server once more, waits until no row is queued, held, claimed or unknown, gives the receipts
   a few seconds, stops it with SIGTERM.
4. Compares the outbox with what the gateway accepted and exits non-zero on a lost, doubled, stuck or
   mismatched message.

Environment
  REVISIT_BIN      the binary (default .build/debug/revisit)
  MESSAGES         customers, so messages per send (default 3000)
  CYCLES           kill cycles (default 20)
  SEND_EVERY       another send after every this many cycles (default 5; 0 = never)
  WORKERS          extra `revisit worker` processes per cycle, PostgreSQL only (default 0)
  DATABASE_URL     use PostgreSQL; the test makes its own database on that server and drops it afterwards
                   (PG_FRESH_DB=0 uses the given database as it is: it must not hold store K1 yet)
  SEED             seed for the customers and the kill times (default: random, printed)
  GATEWAY_DELAY_MS, HANG_RATE   the gateway's --delay-ms (2) and --hang-rate (0.002)
  SETTLE_TIMEOUT   seconds the final run may go without progress before giving up (default 120)
  RECEIPT_WAIT     seconds to wait for the last receipts (default 5)
  LEASE            the processes' --outbox-lease in seconds (default 8), how soon a killed one's claims return
  KEEP=1           keep the temporary folder also when the test passes (it is always kept on failure)
"""
import csv
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GATEWAY_SCRIPT = os.path.join(ROOT, "scripts", "fake-sms-gateway.py")

STORE = "K1"
FIRST_TEMPLATE = "保养通知"
FIRST_TEXT = "{{customerName}}您好，您的爱车保养到期了。"
SECRET = "outbox-kill-secret"
ADMIN_PASSWORD = "outbox-kill-admin-password"
LISTENING = "Revisit is listening on http://"

OPEN = ("queued", "held", "claimed", "unknown")  # the final run waits until none is left
SENT = ("submitted", "delivered")  # the gateway must hold exactly these keys
GIVEN_UP = ("failed", "refused")  # terminal without sending (nothing in this test should end here)
TERMINAL = SENT + GIVEN_UP  # anything else at the end is stuck

STARTUP_KILL_SHARE = 0.2  # cycles killed at a random moment from launch instead of after "listening"


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise Failure(f"{name} must be a whole number, not {value!r}")


def env_float(name, default):
    value = os.environ.get(name, "").strip()
    try:
        return float(value) if value else default
    except ValueError:
        raise Failure(f"{name} must be a number, not {value!r}")


class Failure(Exception):
    """The test cannot go on; the message says why."""


def say(line=""):
    print(line, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fixed_port(rng):
    """A free port below the ephemeral range, so no outgoing connection (the gateway's receipts, revisit's
    own submits) can sit on it while the server is down and make the next start fail to bind."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    if low > 10000:
        for _ in range(200):
            port = rng.randrange(10000, low)
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                    return port
                except OSError:
                    continue
    return free_port()


def tail(path, lines=40):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            content = f.read().splitlines()
    except OSError as error:
        return f"    (cannot read {path}: {error})"
    if not content:
        return "    (empty)"
    return "\n".join("    " + line for line in content[-lines:])


def sample(items, count=10):
    items = sorted(items, key=lambda x: (len(str(x)), str(x)))
    shown = ", ".join(str(x) for x in items[:count])
    return shown + (f", ... ({len(items)} in all)" if len(items) > count else "")


# -- the database -----------------------------------------------------------------------------------


class Database:
    """Read-only questions about the outbox, on SQLite (Python's sqlite3) or PostgreSQL (psql)."""

    def __init__(self, data_dir, database_url):
        self.url = database_url
        # AppConfig.sqlitePath: <data dir>/revisit.sqlite
        self.sqlite_path = os.path.join(data_dir, "revisit.sqlite")

    @property
    def engine(self):
        return "PostgreSQL" if self.url else "SQLite"

    def query(self, sql):
        """Rows as lists of strings (NULL -> '')."""
        if self.url:
            done = subprocess.run(
                ["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-d", self.url, "-c", sql],
                capture_output=True, text=True, timeout=120)
            if done.returncode != 0:
                raise Failure(f"psql failed ({done.returncode}) on: {sql}\n{done.stderr.strip()}")
            return [line.split("\t") for line in done.stdout.splitlines() if line]
        if not os.path.exists(self.sqlite_path):
            raise Failure(f"no SQLite database at {self.sqlite_path} (AppConfig.sqlitePath changed?)")
        connection = sqlite3.connect(self.sqlite_path, timeout=30)
        try:
            return [["" if v is None else str(v) for v in row] for row in connection.execute(sql).fetchall()]
        except sqlite3.Error as error:
            raise Failure(f"SQLite failed on: {sql}\n{error}")
        finally:
            connection.close()

    def outbox_columns(self):
        if self.url:
            rows = self.query("SELECT column_name FROM information_schema.columns "
                              "WHERE table_schema = current_schema() AND table_name = 'outbox_messages'")
            return {r[0] for r in rows}
        return {r[1] for r in self.query("PRAGMA table_info(outbox_messages)")}

    STORE_FILTER = f"store_id = (SELECT id FROM stores WHERE code = '{STORE}')"

    def status_counts(self):
        rows = self.query(f"SELECT status, COUNT(*) FROM outbox_messages WHERE {self.STORE_FILTER} GROUP BY status")
        return Counter({status: int(count) for status, count in rows})

    def outbox(self):
        """{id as decimal text: (status, provider_message_id)}"""
        rows = self.query("SELECT CAST(id AS TEXT), status, COALESCE(CAST(provider_message_id AS TEXT), '') "
                          f"FROM outbox_messages WHERE {self.STORE_FILTER}")
        return {r[0]: (r[1], r[2]) for r in rows}

    def breakdown(self):
        """Rows by source_type, kind and status, to explain an unexpected row count."""
        rows = self.query("SELECT source_type, kind, status, COUNT(*) FROM outbox_messages "
                          f"WHERE {self.STORE_FILTER} GROUP BY source_type, kind, status ORDER BY 1, 2, 3")
        return [f"{s} / {k} / {st}: {n}" for s, k, st, n in rows]


def fresh_postgres_database(url):
    """Creates a new database next to the one in `url`; returns (its URL, its name)."""
    if not shutil.which("psql"):
        raise Failure("DATABASE_URL is set but psql is not installed (apt-get install postgresql-client)")
    parts = urllib.parse.urlsplit(url)
    name = f"revisit_outbox_kill_{os.getpid()}_{int(time.time())}"
    done = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", f"CREATE DATABASE {name}"],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise Failure(f"could not create a database for the test on the DATABASE_URL server:\n"
                      f"{done.stderr.strip()}\n"
                      "Grant CREATEDB, or run with PG_FRESH_DB=0 and a DATABASE_URL of an empty database.")
    return urllib.parse.urlunsplit(parts._replace(path="/" + name)), name


def drop_postgres_database(url, name):
    subprocess.run(["psql", "-X", "-q", "-d", url, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                   capture_output=True, text=True, timeout=60)


# -- the processes ----------------------------------------------------------------------------------


class Child:
    """A background process whose stdout and stderr go to one log file."""

    def __init__(self, name, args, env, log_path):
        self.name, self.log_path = name, log_path
        self.log = open(log_path, "wb")
        self.started = time.monotonic()
        try:
            self.process = subprocess.Popen(args, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as error:
            self.log.close()
            raise Failure(f"cannot start {name} ({args[0]}): {error}")

    def running(self):
        return self.process.poll() is None

    def output(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def kill(self):
        if self.running():
            self.process.kill()  # SIGKILL, to this process only

    def wait(self, timeout):
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def close(self):
        self.log.close()


class Harness:
    def __init__(self):
        self.binary = (os.path.abspath(os.environ["REVISIT_BIN"]) if os.environ.get("REVISIT_BIN")
                       else os.path.join(ROOT, ".build", "debug", "revisit"))
        self.messages = env_int("MESSAGES", 3000)
        self.cycles = env_int("CYCLES", 20)
        self.send_every = env_int("SEND_EVERY", 5)
        self.workers = env_int("WORKERS", 0)
        self.gateway_delay_ms = env_float("GATEWAY_DELAY_MS", 2)
        self.hang_rate = env_float("HANG_RATE", 0.002)
        self.settle_timeout = env_float("SETTLE_TIMEOUT", 120)
        self.receipt_wait = env_float("RECEIPT_WAIT", 5)
        seed = os.environ.get("SEED", "").strip()
        self.seed = int(seed) if seed else random.randrange(1, 10**6)
        self.random = random.Random(self.seed)
        self.given_url = os.environ.get("DATABASE_URL", "").strip() or None
        self.database_url = None
        self.fresh_database = None
        self.tmp = None
        self.children = []  # every Child started, for cleanup and for the log tails
        self.live = []  # revisit processes of the current cycle
        self.gateway = None
        self.gateway_url = None
        self.sends = []  # (label, queued)
        self.cli_count = 0
        self.cli_logs = []

    # -- setup ----------------------------------------------------------------------------------------

    def check_prerequisites(self):
        if not (os.path.isfile(self.binary) and os.access(self.binary, os.X_OK)):
            raise Failure(f"no revisit binary at {self.binary}: build it first "
                          "(swift build --product revisit) or set REVISIT_BIN")
        if not os.access(GATEWAY_SCRIPT, os.R_OK):
            raise Failure(f"missing {GATEWAY_SCRIPT}")
        if self.messages < 1 or self.cycles < 0 or self.send_every < 0 or self.workers < 0:
            raise Failure("MESSAGES must be >= 1; CYCLES, SEND_EVERY and WORKERS >= 0")
        if self.messages > 10**9:
            raise Failure("MESSAGES: at most 10^9 distinct 13xxxxxxxxx numbers")
        if self.workers and not self.given_url:
            say(f"note: WORKERS={self.workers} ignored: extra workers need PostgreSQL (DATABASE_URL)")
            self.workers = 0

    def setup(self):
        self.tmp = tempfile.mkdtemp(prefix="revisit-outbox-kill-")
        self.data_dir = os.path.join(self.tmp, "data")
        self.logs = os.path.join(self.tmp, "logs")
        os.makedirs(self.data_dir)
        os.makedirs(self.logs)
        if self.given_url:
            if os.environ.get("PG_FRESH_DB", "1") == "0":
                self.database_url = self.given_url
            else:
                self.database_url, self.fresh_database = fresh_postgres_database(self.given_url)
        self.db = Database(self.data_dir, self.database_url)
        self.env = dict(os.environ, REVISIT_ADMIN_PASSWORD=ADMIN_PASSWORD)
        for name in ("DATABASE_URL", "REVISIT_DATA_DIR", "PORT"):
            self.env.pop(name, None)
        if self.database_url:
            self.env["DATABASE_URL"] = self.database_url
        self.serve_port = fixed_port(random.Random())  # the same for every start: the receipts go there
        say(f"binary {self.binary}")
        rounds = f"another send every {self.send_every} cycles" if self.send_every else "no further sends"
        say(f"{self.db.engine}, {self.messages} customers, {self.cycles} cycles, {rounds}, "
            f"{self.workers} extra workers, seed {self.seed} "
            f"(SEED={self.seed} repeats the kill times)")
        say(f"logs and data in {self.tmp}")

    def start_gateway(self):
        base = f"http://127.0.0.1:{self.serve_port}"
        args = [sys.executable, GATEWAY_SCRIPT, "--secret", SECRET, "--port", "0",
                "--receipt-url", f"{base}/webhooks/sms/receipt", "--inbound-url", f"{base}/webhooks/sms/inbound",
                "--duplicate-receipts", "--delay-ms", str(self.gateway_delay_ms),
                "--hang-rate", str(self.hang_rate), "--log", os.path.join(self.tmp, "gateway-messages.jsonl")]
        self.gateway = Child("gateway", args, os.environ.copy(), os.path.join(self.logs, "gateway.log"))
        self.children.append(self.gateway)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            for line in self.gateway.output().splitlines():
                if line.startswith("listening on "):
                    self.gateway_url = f"http://127.0.0.1:{int(line.split()[-1])}"
                    say(f"fake gateway at {self.gateway_url}, revisit serve on port {self.serve_port}")
                    return
            if not self.gateway.running():
                raise Failure(f"the fake gateway exited with {self.gateway.process.returncode}:\n"
                              f"{tail(self.gateway.log_path)}")
            time.sleep(0.05)
        raise Failure(f"the fake gateway did not print 'listening on PORT' within 15 s:\n{tail(self.gateway.log_path)}")

    def gateway_get(self, path):
        try:
            with urllib.request.urlopen(self.gateway_url + path, timeout=30) as response:
                return json.load(response)
        except (OSError, ValueError) as error:
            raise Failure(f"GET {path} on the fake gateway failed: {error}\n{tail(self.gateway.log_path)}")

    def revisit(self, label, args, positional=(), timeout=600):
        """Runs `revisit ARGS --data-dir DIR POSITIONAL` to completion; returns its stdout."""
        self.cli_count += 1
        log_path = os.path.join(self.logs, f"cli-{self.cli_count:03d}-{label}.log")
        self.cli_logs.append(log_path)
        args = args + ["--data-dir", self.data_dir] + list(positional)
        command = [self.binary] + args
        try:
            done = subprocess.run(command, env=self.env, capture_output=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise Failure(f"`revisit {' '.join(args)}` did not finish within {timeout} s")
        stdout = done.stdout.decode("utf-8", errors="replace")
        stderr = done.stderr.decode("utf-8", errors="replace")
        with open(log_path, "w", encoding="utf-8") as f:
            f.write(f"$ {' '.join(command)}\n== exit {done.returncode}\n== stdout\n{stdout}\n== stderr\n{stderr}")
        if done.returncode != 0:
            raise Failure(f"`revisit {' '.join(args)}` failed with exit code {done.returncode}:\n"
                          f"{tail(log_path)}")
        return stdout

    def write_customers(self):
        path = os.path.join(self.tmp, "customers.csv")
        rng = random.Random(self.seed)
        numbers = rng.sample(range(10**9), self.messages)  # distinct, so distinct 13xxxxxxxxx mobiles
        with open(path, "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow(["客户编号", "客户名称", "手机"])
            for i, number in enumerate(numbers, 1):
                out.writerow([f"C{i:06d}", f"客户{i}", f"13{number:09d}"])
        return path

    def send(self, template, label):
        stdout = self.revisit(f"send-{label}", ["send", "--store", STORE, "--template", template])
        lines = [line for line in stdout.splitlines() if line.strip()]
        try:
            summary = json.loads(lines[-1])
            queued = summary["queued"]
            if not isinstance(queued, int) or queued < 0:
                raise ValueError
        except (IndexError, ValueError, KeyError, TypeError):
            raise Failure(f"`revisit send` should end with a JSON line like "
                          f'{{"candidates":n,"excluded":{{...}},"queued":n}}; its stdout was:\n{stdout[-2000:]}')
        self.sends.append((label, queued))
        candidates = summary.get("candidates")
        extra = f" of {candidates} candidates, excluded {json.dumps(summary.get('excluded'), ensure_ascii=False)}"
        say(f"send {label} ({template}): queued {queued}" + (extra if candidates != queued else ""))
        if queued != self.messages:
            say(f"note: queued {queued}, not one per customer ({self.messages}); the expected total follows queued")
        return queued

    def prepare(self):
        self.revisit("store-add", ["store", "add", "--code", STORE, "--name", "测试店"])
        columns = self.db.outbox_columns()
        missing = {"id", "status", "provider_message_id"} - columns
        if missing:
            raise Failure(f"outbox_messages has no column {', '.join(sorted(missing))} (columns: "
                          f"{', '.join(sorted(columns)) or 'none'}): is the outbox work in this binary?")
        customers = self.write_customers()
        self.revisit("import", ["import", "--store", STORE, "--kind", "customers"], [customers])
        self.revisit("template-add", ["template", "add", "--store", STORE, "--name", FIRST_TEMPLATE,
                                      "--kind", "service", "--text", FIRST_TEXT])
        if self.send(FIRST_TEMPLATE, "initial") == 0:
            raise Failure("the first send queued nothing: did the import create customers with mobiles?")

    def another_round(self, cycle):
        """A new template per round, so each (phone, text) pair is expected exactly once at the gateway."""
        name = f"回访提醒{cycle}"
        text = f"{{{{customerName}}}}您好，这是第{cycle}轮回访提醒。"
        self.revisit(f"template-add-{cycle}", ["template", "add", "--store", STORE, "--name", name,
                                                "--kind", "service", "--text", text])
        self.send(name, f"after-cycle-{cycle}")

    # -- the cycles -----------------------------------------------------------------------------------

    def start_revisit(self, tag):
        # A short lease so a killed process's claims come back within the run (the default is 60 s).
        sms = ["--sms-provider", "http", "--sms-url", f"{self.gateway_url}/sms", "--sms-secret", SECRET,
               "--sms-timeout", "3", "--outbox-lease", os.environ.get("LEASE", "8")]
        serve = Child(f"serve {tag}", [self.binary, "serve", "--data-dir", self.data_dir, "--port",
                                        str(self.serve_port)] + sms,
                      self.env, os.path.join(self.logs, f"serve-{tag}.log"))
        self.children.append(serve)
        self.live = [serve]
        for n in range(1, self.workers + 1):
            worker = Child(f"worker {tag}-{n}", [self.binary, "worker", "--data-dir", self.data_dir] + sms,
                           self.env, os.path.join(self.logs, f"worker-{tag}-{n}.log"))
            self.children.append(worker)
            self.live.append(worker)
        return serve

    def check_alive(self, when):
        for child in self.live:
            if not child.running():
                raise Failure(f"{child.name} exited on its own with code {child.process.returncode} {when}:\n"
                              f"{tail(child.log_path)}")

    def wait_listening(self, serve, timeout=60):
        """Seconds from launch until the listening line."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if LISTENING in serve.output():
                return time.monotonic() - serve.started
            self.check_alive("before it was listening")
            time.sleep(0.02)
        raise Failure(f"{serve.name} did not print '{LISTENING}' within {timeout} s:\n{tail(serve.log_path)}")

    def kill_all(self):
        for child in self.live:
            child.kill()
        for child in self.live:
            if child.wait(15) is None:
                raise Failure(f"{child.name} (pid {child.process.pid}) still runs 15 s after SIGKILL")
            child.close()
        self.live = []

    def cycle(self, number):
        tag = f"{number:03d}"
        serve = self.start_revisit(tag)
        if self.random.random() < STARTUP_KILL_SHARE:
            delay = self.random.uniform(0.0, 1.5)
            time.sleep(delay)
            self.check_alive("(before the kill)")
            listening = LISTENING in serve.output()
            how = f"{delay:.2f} s after launch ({'listening' if listening else 'still starting'})"
        else:
            startup = self.wait_listening(serve)
            delay = self.random.uniform(0.3, 2.5)
            time.sleep(delay)
            self.check_alive("(before the kill)")
            how = f"{delay:.2f} s after listening (started in {startup:.2f} s)"
        self.kill_all()
        counts = self.db.status_counts()
        stats = self.gateway_get("/_stats")
        say(f"cycle {number:3d}/{self.cycles}: killed {how}; outbox {format_counts(counts)}; "
            f"gateway accepted {stats['accepted']}, resubmissions {stats['resubmissions']}, hung {stats['hung']}")
        if self.send_every and number % self.send_every == 0:
            self.another_round(number)

    def final_run(self):
        say("final run: no kill")
        serve = self.start_revisit("final")
        startup = self.wait_listening(serve)
        say(f"  listening after {startup:.2f} s; waiting until nothing is {'/'.join(OPEN)}")
        started = last_progress = time.monotonic()
        best = None
        hard_limit = max(1800.0, 10 * self.settle_timeout)
        last_report = 0.0
        while True:
            self.check_alive("during the final run")
            counts = self.db.status_counts()
            remaining = sum(counts[s] for s in OPEN)
            now = time.monotonic()
            if remaining == 0:
                say(f"  nothing open after {now - started:.1f} s: {format_counts(counts)}")
                break
            if best is None or remaining < best:
                best, last_progress = remaining, now
            if now - last_report >= 10:
                say(f"  {now - started:5.1f} s: {format_counts(counts)}")
                last_report = now
            if now - last_progress > self.settle_timeout or now - started > hard_limit:
                say(f"  giving up after {now - started:.1f} s ({now - last_progress:.1f} s without progress): "
                    f"{format_counts(counts)}")
                break
            time.sleep(0.5)
        # Receipts: until nothing is merely submitted any more, or RECEIPT_WAIT seconds.
        deadline = time.monotonic() + self.receipt_wait
        while time.monotonic() < deadline and self.db.status_counts()["submitted"] > 0:
            self.check_alive("while waiting for receipts")
            time.sleep(0.25)
        for child in self.live:
            child.process.send_signal(signal.SIGTERM)
        for child in self.live:
            code = child.wait(30)
            if code is None:
                say(f"note: {child.name} still ran 30 s after SIGTERM; killed")
                child.kill()
                child.wait(15)
            elif code != 0:
                say(f"note: {child.name} exited with code {code} after SIGTERM")
            child.close()
        self.live = []

    # -- the verdict ----------------------------------------------------------------------------------

    def verdict(self):
        expected = sum(queued for _, queued in self.sends)
        outbox = self.db.outbox()
        by_status = Counter(status for status, _ in outbox.values())
        stats = self.gateway_get("/_stats")
        messages = self.gateway_get("/_messages")
        gateway = {m["key"]: m for m in messages}
        gateway_keys = set(gateway)
        ids = set(outbox)
        sent_ids = {i for i, (status, _) in outbox.items() if status in SENT}

        shortfall = max(0, expected - len(outbox))
        surplus = max(0, len(outbox) - expected)
        stuck = {i for i, (status, _) in outbox.items() if status not in TERMINAL}
        # The outbox says sent (or gave up) but the gateway never accepted the key.
        never_accepted = {i for i in ids - gateway_keys if i not in stuck}
        lost = shortfall + len(never_accepted)
        # Keys the gateway accepted that no outbox row has; and one (phone, text) under several keys.
        unknown_keys = gateway_keys - ids
        by_content = Counter((m["to"], m["text"]) for m in messages)
        same_content = {pair: n for pair, n in by_content.items() if n > 1}
        extra_sends = sum(n - 1 for n in same_content.values())
        # An extra row that went out shows up as a repeated (phone, text) too: count it once.
        unknown_unique = {k for k in unknown_keys if by_content[(gateway[k]["to"], gateway[k]["text"])] == 1}
        doubled = max(surplus, extra_sends) + len(unknown_unique)
        # Rows given up on (failed/refused) whose message the gateway did accept.
        gave_up_but_sent = {i for i, (status, _) in outbox.items() if status in GIVEN_UP and i in gateway_keys}
        wrong_provider_id = {i for i in sent_ids & gateway_keys if outbox[i][1] != gateway[i]["id"]}
        mismatched = len(gave_up_but_sent) + len(wrong_provider_id)
        resubmitted = [m for m in messages if m["submissions"] > 1]

        say()
        say("== results")
        say(f"expected messages (sum of queued): {expected}  ({', '.join(f'{l} {q}' for l, q in self.sends)})")
        say(f"outbox rows:                       {len(outbox)}")
        say(f"  by status:                       {format_counts(by_status)}")
        say(f"gateway accepted:                  {stats['accepted']}  ({len(messages)} keys in /_messages)")
        say(f"  resubmissions (deduplicated):    {stats['resubmissions']} on {stats['resubmittedKeys']} keys"
            + (f", e.g. {sample([m['key'] + ' x' + str(m['submissions']) for m in resubmitted], 5)}" if resubmitted else ""))
        say(f"  left without an answer (hung):   {stats['hung']}")
        say(f"  receipts sent / given up:        {stats['receiptsSent']} / {stats['receiptFailures']}")
        say(f"gateway keys == submitted/delivered ids: {'yes' if gateway_keys == sent_ids else 'NO'}")

        problems = []
        if shortfall:
            problems.append(f"lost: {shortfall} queued messages have no outbox row ({len(outbox)} rows, {expected} queued)")
        if never_accepted:
            statuses = format_counts(Counter(outbox[i][0] for i in never_accepted))
            problems.append(f"lost: {len(never_accepted)} rows the gateway never accepted ({statuses}): "
                            f"{sample(never_accepted)}")
        if surplus:
            problems.append(f"doubled: {surplus} more outbox rows than queued messages; rows by source / kind / "
                            f"status: {'; '.join(self.db.breakdown())}")
        if unknown_keys:
            hint = ""
            if not ids & gateway_keys:
                hint = (" (no key matches any outbox id: the Idempotency-Key should be outbox_messages.id "
                        "as decimal text)")
            problems.append(f"doubled: {len(unknown_keys)} keys accepted by the gateway match no outbox row{hint}: "
                            f"{sample(unknown_keys)}")
        if same_content:
            pairs = [f"{to} {text!r} x{n}" for (to, text), n in same_content.items()]
            problems.append(f"doubled: {extra_sends} messages went out again under another key: {sample(pairs, 5)}")
        if stuck:
            statuses = format_counts(Counter(outbox[i][0] for i in stuck))
            at_gateway = len(stuck & gateway_keys)
            problems.append(f"stuck: {len(stuck)} rows not in {'/'.join(TERMINAL)} ({statuses}; {at_gateway} of them "
                            f"accepted by the gateway): {sample(stuck)}")
        if gave_up_but_sent:
            problems.append(f"mismatched: {len(gave_up_but_sent)} rows are failed/refused but the gateway accepted "
                            f"them: {sample(gave_up_but_sent)}")
        if wrong_provider_id:
            examples = [f"{i}: {outbox[i][1] or '(empty)'} != {gateway[i]['id']}" for i in wrong_provider_id]
            problems.append(f"mismatched: {len(wrong_provider_id)} rows whose provider_message_id is not the "
                            f"gateway's id: {sample(examples, 5)}")
        if stats["badSignature"]:
            problems.append(f"the gateway refused {stats['badSignature']} submits for a bad X-Revisit-Signature")
        if stats.get("keyConflicts"):
            problems.append(f"{stats['keyConflicts']} submits reused an Idempotency-Key for a different message")

        if problems:
            say()
            say("== problems")
            for problem in problems:
                say("- " + problem)
        say()
        say(f"outbox kill test: {self.cycles} cycles, {expected} messages, {lost} lost, {doubled} doubled, "
            f"{len(stuck)} stuck, {stats['resubmissions']} resubmissions, {mismatched} mismatched")
        return not problems

    def print_log_tails(self):
        say()
        say("== log tails")
        revisit = [c for c in self.children if c is not self.gateway]
        shown = revisit[-(3 + 3 * self.workers):] + [self.gateway]
        for child in shown:
            say(f"-- {child.name}: {child.log_path}")
            say(tail(child.log_path))
        for path in self.cli_logs[-2:]:
            say(f"-- {os.path.basename(path)}")
            say(tail(path))

    # -- all of it ------------------------------------------------------------------------------------

    def run(self):
        passed = False
        try:
            self.check_prerequisites()
            self.setup()
            self.start_gateway()
            self.prepare()
            started = time.monotonic()
            for number in range(1, self.cycles + 1):
                self.cycle(number)
            self.final_run()
            passed = self.verdict()
            say(f"({time.monotonic() - started:.0f} s of cycles and final run)")
        except Failure as failure:
            say()
            say(f"FAILED: {failure}")
        except KeyboardInterrupt:
            say()
            say("interrupted")
        finally:
            self.cleanup(passed)
        return passed

    def cleanup(self, passed):
        for child in self.live:
            child.kill()
        for child in self.live:
            child.wait(15)
        self.live = []
        if self.gateway and self.gateway.running():
            self.gateway.process.terminate()
            if self.gateway.wait(10) is None:
                self.gateway.kill()
                self.gateway.wait(10)
        for child in self.children:
            child.close()
        if not passed and self.children:
            self.print_log_tails()
        if self.fresh_database:
            if passed and os.environ.get("KEEP") != "1":
                drop_postgres_database(self.given_url, self.fresh_database)
            else:
                say(f"kept the PostgreSQL database {self.fresh_database}")
        if self.tmp:
            if passed and os.environ.get("KEEP") != "1":
                shutil.rmtree(self.tmp, ignore_errors=True)
            else:
                say(f"kept {self.tmp}")


def format_counts(counts):
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items()) if n) or "empty"


def main():
    if len(sys.argv) > 1:
        print(__doc__)
        return 0 if sys.argv[1] in ("-h", "--help") else 2

    def terminated(*_):
        raise KeyboardInterrupt  # so the finally blocks stop the children

    signal.signal(signal.SIGTERM, terminated)
    try:
        return 0 if Harness().run() else 1
    except Failure as failure:  # from reading the environment
        say(f"FAILED: {failure}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
