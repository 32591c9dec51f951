#!/usr/bin/python3
"""A fake SMS gateway that behaves like a real one with idempotency, for Revisit's outbox tests.

    scripts/fake-sms-gateway.py --secret SECRET [--host 127.0.0.1] [--port 0]
        [--receipt-url URL] [--receipt-delay-ms 50] [--receipt-attempts 5]
        [--duplicate-receipts] [--early-receipts] [--inbound-url URL]
        [--delay-ms N] [--fail-rate F] [--fail-status 500] [--hang-rate F] [--log FILE]

Prints `listening on PORT` once it accepts connections (the real port, also with --port 0).

Endpoints
  POST /sms          submit; headers Idempotency-Key and X-Revisit-Signature (lowercase hex HMAC-SHA256
                     of the raw body with the secret); body JSON {"to": ..., "text": ...}.
                     401 bad signature, 400 no key or bad body, 422 key reused for a different message,
                     200 {"id": "gw-N", "status": "accepted"} (the same id again for a known key).
  GET  /sms/KEY      200 {"id", "idempotencyKey", "status": "accepted"|"delivered"} or 404.
  GET  /_stats       counters; GET /_messages every accepted message.
  POST /_inbound     {"from", "text"} -> forwarded, signed, to --inbound-url; answers with its status.
  GET|POST /_config  read / change delayMs, failRate, failStatus, hangRate, receiptDelayMs,
                     duplicateReceipts, earlyReceipts at runtime (keys may also be spelt delay-ms, delay_ms).

Failure modes
  --fail-rate   that fraction of submits is answered --fail-status without recording the key.
  --hang-rate   that fraction of submits is recorded and then the connection is closed with no answer,
                as after a timeout: the client cannot know whether the message went out.
  --delay-ms    every submit is answered that much later (the key is recorded before the wait).

A message is "delivered" --receipt-delay-ms after it was first accepted (at once with --early-receipts).
Its receipt {"id", "idempotencyKey", "status": "delivered", "to", "at"} is POSTed, signed like the
submits, to --receipt-url: by a small pool of background threads, or with --early-receipts by the submit's
own thread before it answers. A receipt that does not get a 2xx is retried with a doubling back-off
(0.2 s, 0.4 s, ...) up to --receipt-attempts times, then counted in receiptFailures. One receipt per
accepted key (two with --duplicate-receipts, sent at the same moment), none for resubmissions.
"""
import argparse
import hashlib
import heapq
import hmac
import http.client
import itertools
import json
import random
import signal
import socket
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

JSON_TYPE = "application/json; charset=utf-8"


def dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def iso_utc(epoch=None):
    """Whole seconds with a Z: the form Foundation's default ISO8601DateFormatter parses."""
    moment = datetime.fromtimestamp(time.time() if epoch is None else epoch, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(secret, body):
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


class Headers(dict):
    """Request headers by lower-case name (the last of repeated fields wins)."""

    def get(self, name, default=None):
        return dict.get(self, name.lower(), default)


class ClientGone(ConnectionError):
    """The request ended early; the connection is dropped without an answer."""


class Config:
    """The knobs /_config may change while the gateway runs (plain attribute reads, so no lock)."""

    FIELDS = {
        "delayms": ("delay_ms", float),
        "failrate": ("fail_rate", float),
        "failstatus": ("fail_status", int),
        "hangrate": ("hang_rate", float),
        "receiptdelayms": ("receipt_delay_ms", float),
        "duplicatereceipts": ("duplicate_receipts", bool),
        "earlyreceipts": ("early_receipts", bool),
    }

    def __init__(self, args):
        for _, (attribute, _) in self.FIELDS.items():
            setattr(self, attribute, getattr(args, attribute))

    def update(self, changes):
        if not isinstance(changes, dict):
            raise ValueError("the body must be a JSON object")
        parsed = {}
        for name, value in changes.items():
            field = self.FIELDS.get(name.replace("-", "").replace("_", "").lower())
            if field is None:
                raise ValueError(f"unknown setting {name!r}")
            attribute, kind = field
            if kind is bool:
                if not isinstance(value, bool):
                    raise ValueError(f"{name} must be true or false")
            else:
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise ValueError(f"{name} must be a number")
                value = kind(value)
                if attribute.endswith("_rate") and not 0 <= value <= 1:
                    raise ValueError(f"{name} must be between 0 and 1")
                if attribute.endswith("_ms") and value < 0:
                    raise ValueError(f"{name} must not be negative")
            parsed[attribute] = value
        for attribute, value in parsed.items():  # all or nothing
            setattr(self, attribute, value)

    def as_json(self):
        return {
            "delayMs": self.delay_ms, "failRate": self.fail_rate, "failStatus": self.fail_status,
            "hangRate": self.hang_rate, "receiptDelayMs": self.receipt_delay_ms,
            "duplicateReceipts": self.duplicate_receipts, "earlyReceipts": self.early_receipts,
        }


class Message:
    __slots__ = ("key", "id", "to", "text", "at", "submissions", "delivered_at")

    def __init__(self, key, gateway_id, to, text, delivered_at):
        self.key, self.id, self.to, self.text = key, gateway_id, to, text
        self.at = iso_utc()
        self.submissions = 1
        self.delivered_at = delivered_at  # time.monotonic() from which the status is "delivered"

    def status(self):
        return "delivered" if time.monotonic() >= self.delivered_at else "accepted"

    def as_json(self):
        return {"key": self.key, "id": self.id, "to": self.to, "text": self.text, "at": self.at,
                "submissions": self.submissions}


class Stats:
    NAMES = ("accepted", "resubmissions", "resubmittedKeys", "badSignature", "failedOnPurpose", "hung",
             "receiptsSent", "receiptFailures", "keyConflicts")

    def __init__(self):
        self.lock = threading.Lock()
        self.values = dict.fromkeys(self.NAMES, 0)

    def add(self, name, amount=1):
        with self.lock:
            self.values[name] += amount

    def snapshot(self):
        with self.lock:
            return dict(self.values)


class Poster:
    """POSTs signed JSON to one URL over a keep-alive connection per thread."""

    def __init__(self, url, secret, timeout=5.0):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SystemExit(f"not an http(s) URL: {url}")
        self.connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self.host, self.port = parts.hostname, parts.port
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.secret, self.timeout = secret, timeout
        self.local = threading.local()

    def post(self, body):
        """Returns (status, response body); status is None when the connection failed."""
        headers = {"Content-Type": "application/json", "X-Revisit-Signature": sign(self.secret, body)}
        for _ in range(2):  # a kept-alive connection may have died meanwhile: once more on a new one
            connection = getattr(self.local, "connection", None)
            reused = connection is not None
            if connection is None:
                connection = self.local.connection = self.connection_class(self.host, self.port, timeout=self.timeout)
            try:
                connection.request("POST", self.path, body, headers)
                response = connection.getresponse()
                answer = response.read()
                if response.will_close:
                    connection.close()
                    self.local.connection = None
                return response.status, answer
            except (OSError, http.client.HTTPException):
                connection.close()
                self.local.connection = None
                if not reused:
                    return None, b""
        return None, b""


class ReceiptSender:
    """Sends delivery receipts when they are due, retrying failures with a doubling back-off."""

    def __init__(self, url, secret, stats, attempts, threads=6):
        self.poster = Poster(url, secret)
        self.stats, self.attempts = stats, max(1, attempts)
        self.queue = []  # heap of (due monotonic, sequence, body, attempt)
        self.sequence = itertools.count()
        self.ready = threading.Condition()
        for n in range(threads):
            threading.Thread(target=self._run, name=f"receipts-{n}", daemon=True).start()

    def schedule(self, body, due, attempt=0):
        with self.ready:
            heapq.heappush(self.queue, (due, next(self.sequence), body, attempt))
            self.ready.notify()

    def send_now(self, body):
        """First attempt on the caller's thread (early receipts); retries go to the background."""
        self._attempt(body, 0)

    def _attempt(self, body, attempt):
        status, _ = self.poster.post(body)
        if status is not None and 200 <= status < 300:
            self.stats.add("receiptsSent")
        elif attempt + 1 < self.attempts:
            self.schedule(body, time.monotonic() + 0.2 * 2**attempt, attempt + 1)
        else:
            self.stats.add("receiptFailures")

    def _run(self):
        while True:
            with self.ready:
                while True:
                    now = time.monotonic()
                    if self.queue and self.queue[0][0] <= now:
                        _, _, body, attempt = heapq.heappop(self.queue)
                        break
                    self.ready.wait(self.queue[0][0] - now if self.queue else None)
            try:
                self._attempt(body, attempt)
            except Exception as error:  # never let a receipt thread die
                print(f"receipt thread: {error!r}", file=sys.stderr, flush=True)


class Gateway:
    def __init__(self, args):
        self.secret = args.secret.encode("utf-8")
        self.config = Config(args)
        self.stats = Stats()
        self.lock = threading.Lock()
        self.messages = {}  # key -> Message, in acceptance order
        self.counter = 0
        self.inbound_counter = itertools.count(1)
        self.log = open(args.log, "a", encoding="utf-8") if args.log else None
        self.receipts = (ReceiptSender(args.receipt_url, self.secret, self.stats, args.receipt_attempts)
                         if args.receipt_url else None)
        self.inbound = Poster(args.inbound_url, self.secret, timeout=10) if args.inbound_url else None

    def accept(self, key, to, text):
        """Records a submission. Returns (message, is_new), or (None, False) for a key conflict."""
        config = self.config
        delay = 0 if config.early_receipts else config.receipt_delay_ms / 1000
        with self.lock:
            message = self.messages.get(key)
            if message is not None:
                if message.to != to or message.text != text:
                    conflict = True
                else:
                    conflict = False
                    message.submissions += 1
                    resubmitted_first_time = message.submissions == 2
            else:
                self.counter += 1
                message = Message(key, f"gw-{self.counter}", to, text, time.monotonic() + delay)
                self.messages[key] = message
                if self.log:
                    self.log.write(json.dumps(message.as_json(), ensure_ascii=False) + "\n")
                    self.log.flush()
                self.stats.add("accepted")
                return message, True
        if conflict:
            self.stats.add("keyConflicts")
            return None, False
        self.stats.add("resubmissions")
        if resubmitted_first_time:
            self.stats.add("resubmittedKeys")
        return message, False

    def send_receipts(self, message):
        if self.receipts is None:
            return
        config = self.config
        early = config.early_receipts
        at = iso_utc() if early else iso_utc(time.time() + config.receipt_delay_ms / 1000)
        body = dumps({"id": message.id, "idempotencyKey": message.key, "status": "delivered",
                      "to": message.to, "at": at})
        copies = 2 if config.duplicate_receipts else 1
        if early:
            for _ in range(copies):
                self.receipts.send_now(body)
        else:
            due = time.monotonic() + config.receipt_delay_ms / 1000
            for _ in range(copies):
                self.receipts.schedule(body, due)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeSMSGateway/1.0"
    sys_version = ""
    timeout = 300  # seconds a kept-alive connection may stay silent before its thread gives up
    gateway = None  # set in main

    def setup(self):
        super().setup()
        # A response goes out in one write, but also never wait on Nagle + delayed ACK for a small answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):
        pass

    def handle_one_request(self):
        """BaseHTTPRequestHandler's, with a plain header parser: the email-package one took 40 % of the time."""
        try:
            line = self.rfile.readline(65537)
            if not line:
                self.close_connection = True
                return
            self.raw_requestline = line
            self.request_version = "HTTP/1.1"  # for the answers below, before the request line is known
            parts = line.decode("latin-1").split()
            if len(line) > 65536 or len(parts) != 3 or not parts[2].startswith("HTTP/1."):
                self.close_connection = True
                self.reply(400, {"error": "bad request line"})
                return
            self.command, self.path, self.request_version = parts
            headers = Headers()
            while True:
                field = self.rfile.readline(65537)
                if field in (b"\r\n", b"\n", b""):
                    break
                if len(headers) >= 100:
                    self.close_connection = True
                    self.reply(431, {"error": "too many headers"})
                    return
                name, _, value = field.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            self.headers = headers
            connection = headers.get("connection", "").lower()
            if self.request_version == "HTTP/1.1":
                self.close_connection = "close" in connection
            else:
                self.close_connection = "keep-alive" not in connection
            handler = getattr(self, "do_" + self.command, None)
            if handler is None:
                self.close_connection = True
                self.reply(405, {"error": f"method {self.command} not allowed"})
                return
            handler()
            self.wfile.flush()
        except TimeoutError:
            self.close_connection = True

    # -- plumbing --------------------------------------------------------------------------------------

    def reply(self, status, value=None, body=None, content_type=JSON_TYPE):
        if body is None:
            body = dumps(value)
        reason = http.client.responses.get(status, "")
        head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\n")
        if self.close_connection:
            head += "Connection: close\r\n"
        self.wfile.write(head.encode("latin-1") + b"\r\n" + body)

    def read_exactly(self, size):
        data = self.rfile.read(size)
        if len(data) < size:
            # The client died while sending (a killed worker): neither a submit nor a bad signature.
            self.close_connection = True
            raise ClientGone
        return data

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                line = self.rfile.readline(1024)
                if not line:
                    raise ClientGone
                try:
                    size = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise ClientGone
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.read_exactly(size))
                self.rfile.readline(3)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise ClientGone
        return self.read_exactly(length) if length > 0 else b""

    def read_json(self):
        """The body as JSON, or None after answering 400."""
        raw = self.read_body()
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            self.reply(400, {"error": "the body is not JSON"})
            return None

    # -- routes ----------------------------------------------------------------------------------------

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        gateway = self.gateway
        if path.startswith("/sms/"):
            key = urllib.parse.unquote(path[len("/sms/"):])
            with gateway.lock:
                message = gateway.messages.get(key)
            if message is None:
                self.reply(404, {"error": "unknown key"})
            else:
                self.reply(200, {"id": message.id, "idempotencyKey": key, "status": message.status()})
        elif path == "/_stats":
            self.reply(200, gateway.stats.snapshot())
        elif path == "/_messages":
            with gateway.lock:
                messages = [m.as_json() for m in gateway.messages.values()]
            self.reply(200, messages)
        elif path == "/_config":
            self.reply(200, gateway.config.as_json())
        elif path in ("/", "/health", "/_health"):
            self.reply(200, {"status": "ok"})
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        path = self.path.split("?", 1)[0]
        if path == "/sms":
            self.submit()
        elif path == "/_inbound":
            self.inbound()
        elif path == "/_config":
            value = self.read_json()
            if value is None:
                return
            try:
                self.gateway.config.update(value)
            except ValueError as error:
                self.reply(400, {"error": str(error)})
                return
            self.reply(200, self.gateway.config.as_json())
        else:
            self.read_body()
            self.reply(404, {"error": "not found"})

    def submit(self):
        gateway = self.gateway
        config = gateway.config
        raw = self.read_body()
        signature = self.headers.get("X-Revisit-Signature", "").strip()
        if not signature or not hmac.compare_digest(signature, sign(gateway.secret, raw)):
            gateway.stats.add("badSignature")
            self.reply(401, {"error": "bad signature"})
            return
        key = self.headers.get("Idempotency-Key", "").strip()
        if not key:
            self.reply(400, {"error": "missing Idempotency-Key"})
            return
        try:
            payload = json.loads(raw)
            to, text = payload["to"], payload["text"]
            if not isinstance(to, str) or not isinstance(text, str) or not to or not text:
                raise ValueError
        except (ValueError, KeyError, TypeError):
            self.reply(400, {"error": "the body needs \"to\" and \"text\" strings"})
            return
        delay = config.delay_ms / 1000
        if config.fail_rate > 0 and random.random() < config.fail_rate:
            gateway.stats.add("failedOnPurpose")
            if delay:
                time.sleep(delay)
            self.reply(config.fail_status, {"error": "gateway failure (on purpose)"})
            return
        message, new = gateway.accept(key, to, text)
        if message is None:
            self.reply(422, {"error": "the Idempotency-Key was used before for a different message"})
            return
        if new:
            gateway.send_receipts(message)
        if delay:
            time.sleep(delay)
        if config.hang_rate > 0 and random.random() < config.hang_rate:
            gateway.stats.add("hung")
            self.close_connection = True  # the server closes the socket; the client gets no answer
            return
        self.reply(200, {"id": message.id, "status": "accepted"})

    def inbound(self):
        gateway = self.gateway
        value = self.read_json()
        if value is None:
            return
        if gateway.inbound is None:
            self.reply(400, {"error": "start the gateway with --inbound-url"})
            return
        if not isinstance(value, dict) or not isinstance(value.get("from"), str) or not isinstance(value.get("text"), str):
            self.reply(400, {"error": "the body needs \"from\" and \"text\" strings"})
            return
        body = dumps({"id": f"in-{next(gateway.inbound_counter)}", "from": value["from"], "text": value["text"],
                      "at": iso_utc()})
        status, answer = gateway.inbound.post(body)
        if status is None:
            self.reply(502, {"error": "the inbound webhook did not answer"})
        else:
            self.reply(status, body=answer, content_type=JSON_TYPE if answer[:1] in (b"{", b"[") else "text/plain")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # a client that went away
        super().handle_error(request, client_address)


def rate(text):
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--secret", required=True, help="HMAC-SHA256 key for submits, receipts and inbound")
    parser.add_argument("--receipt-url", help="where to POST delivery receipts (none: no receipts)")
    parser.add_argument("--receipt-delay-ms", type=float, default=50)
    parser.add_argument("--receipt-attempts", type=int, default=5, help="tries per receipt before giving up")
    parser.add_argument("--duplicate-receipts", action="store_true", help="send every receipt twice")
    parser.add_argument("--early-receipts", action="store_true",
                        help="send the receipt before answering the submit")
    parser.add_argument("--inbound-url", help="where POST /_inbound forwards inbound messages")
    parser.add_argument("--delay-ms", type=float, default=0, help="wait this long before answering a submit")
    parser.add_argument("--fail-rate", type=rate, default=0.0, help="fraction of submits refused unrecorded")
    parser.add_argument("--fail-status", type=int, default=500)
    parser.add_argument("--hang-rate", type=rate, default=0.0,
                        help="fraction of submits recorded and then left without an answer")
    parser.add_argument("--log", help="append one JSON line per accepted message")
    args = parser.parse_args()

    Handler.gateway = Gateway(args)
    server = Server((args.host, args.port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
