"""`make loadtest`: Tribune under a mixed load, then the same load with faults.

    python bench/loadtest.py [--duration 60] [--clients 8] [--settle 90]

Starts, all on 127.0.0.1 and on free ports: a private PostgreSQL cluster (initdb
in a temp folder, run as the postgres user when this runs as root), a private
redis-server, an SMTP server (aiosmtpd, in this process), two `tribune serve`
nodes and one `tribune worker`. Loads the demo, then runs two phases of the same
mix (90% article pages, 8% thread and API reads, 2% comment posts, each post
asking for a subscription so that it queues one mail):

1. normal: `--duration` seconds;
2. faults: at least 90 s with, in turn, kill -9 of a web worker process, Redis
   stopped for 30 s, a PostgreSQL restart, the SMTP server refusing for 15 s,
   and kill -9 of the task worker while it hands a message over.

Then it waits up to `--settle` seconds for the outbox to drain and prints a
table: requests, errors by kind, comments accepted vs stored, mails queued vs
delivered vs duplicated, recovery time per fault. The counts come from
tribune/demo/integrity.py, which the test suite checks too. It is a benchmark,
not a test: it reports what happens and exits 0 unless it could not run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tribune.demo.integrity import check_integrity  # noqa: E402

PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
MARK = "loadtest-"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# Services ----------------------------------------------------------------------


class Postgres:
    """A private cluster: initdb in a temp folder, pg_ctl on a free port."""

    def __init__(self, base: Path) -> None:
        if not PG_BINS:
            raise SystemExit("PostgreSQL is not installed (/usr/lib/postgresql/*/bin)")
        self.bin = PG_BINS[-1]
        self.data = base / "pgdata"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        base.chmod(0o755)

    def _run(self, *argv: str) -> None:
        # initdb refuses to run as root: run the tools as the postgres user.
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        subprocess.run([*prefix, *argv], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        if not self.data.exists():
            self.data.mkdir()
            if self.as_root:
                shutil.chown(self.data, "postgres", "postgres")
            self._run(
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            )
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.data / "server.log"),
            "-w",
            "start",
        )

    def restart(self) -> None:
        # With its log file named again: pg_ctl would otherwise hand the server
        # its own standard output, and this script would wait on it forever.
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-m",
            "fast",
            "-l",
            str(self.data / "server.log"),
            "-w",
            "restart",
        )

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "immediate",
                "-w",
                "stop",
            )

    def url(self, name: str = "tribune") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.url(), autocommit=True, connect_timeout=5)


class Redis:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@dataclass
class Smtp:
    """aiosmtpd on loopback: stores message ids; can refuse or stall on demand."""

    port: int = field(default_factory=free_port)
    received: list[str] = field(default_factory=list)
    received_at: list[float] = field(default_factory=list)
    refusing: bool = False
    stall: float = 0.0
    data_started: threading.Event = field(default_factory=threading.Event)
    refused: int = 0
    controller: Any = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refusing:
            self.refused += 1
            return "451 4.3.0 Try again later"
        if self.stall:
            self.data_started.set()
            await asyncio.sleep(self.stall)
        message = email.message_from_bytes(envelope.content)
        self.received.append(str(message.get("Message-ID", "")))
        self.received_at.append(time.monotonic())
        return "250 2.0.0 Accepted"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()


def wait_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def wait_healthy(port: int, seconds: float) -> None:
    """Until the node's web workers answer, not only its listening socket."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.5)
    raise SystemExit(f"the node on 127.0.0.1:{port} is not healthy after {seconds} s")


# Tribune processes -------------------------------------------------------------


class Tribune:
    def __init__(self, environ: dict[str, str], logs: Path) -> None:
        self.environ = environ
        self.logs = logs
        self.nodes: list[tuple[int, subprocess.Popen[bytes]]] = []
        self.worker: subprocess.Popen[bytes] | None = None
        self.restarts: Counter[str] = Counter()

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "tribune", *args],
            cwd=ROOT,
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"tribune {args[0]} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def _spawn(self, name: str, *args: str, **extra: str) -> subprocess.Popen[bytes]:
        out = (self.logs / f"{name}.log").open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", "tribune", *args],
            cwd=ROOT,
            env=self.environ | extra,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_node(self, index: int) -> None:
        port = free_port()
        process = self._spawn(
            f"web{index}",
            "serve",
            TRIBUNE_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="2",
        )
        self.nodes.append((port, process))

    def start_worker(self) -> None:
        self.worker = self._spawn("worker", "worker")

    def supervise(self, stop: threading.Event) -> None:
        """Start again a node or the worker that exited, as systemd's Restart= does."""
        while not stop.wait(1.0):
            for index, (port, process) in enumerate(list(self.nodes)):
                if process.poll() is not None:
                    self.restarts[f"web node {index + 1}"] += 1
                    log(f"web node {index + 1} exited ({process.returncode})")
                    self.nodes[index] = (
                        port,
                        self._spawn(
                            f"web{index}",
                            "serve",
                            TRIBUNE_BIND=f"127.0.0.1:{port}",
                            WEB_CONCURRENCY="2",
                        ),
                    )
            if self.worker is not None and self.worker.poll() is not None:
                self.restarts["task worker"] += 1
                log(f"task worker exited ({self.worker.returncode}); restarting")
                self.start_worker()

    def web_worker_pids(self, index: int) -> list[int]:
        pid = self.nodes[index][1].pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        return (
            [int(p) for p in children.read_text().split()] if children.exists() else []
        )

    def stop(self) -> None:
        for process in [p for _, p in self.nodes] + [self.worker]:
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [p for _, p in self.nodes] + [self.worker]:
            if process:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


# Load --------------------------------------------------------------------------


@dataclass
class Record:
    at: float
    kind: str
    outcome: str  # "ok" or the error kind


@dataclass
class Load:
    ports: list[int]
    articles: list[tuple[int, str]]
    records: list[Record] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    counter: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _next_key(self) -> str:
        with self.lock:
            self.counter += 1
            return f"{MARK}{os.getpid()}-{self.counter}"

    def _call(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any, bytes]:
        port = random.choice(self.ports)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def _form(self) -> tuple[str, str]:
        """A reader's CSRF cookie and the comment form's signed token."""
        for _ in range(60):
            try:
                _, path = random.choice(self.articles)
                status, headers, html = self._call(
                    "GET", path, headers={"Cookie": "tribune_guest="}
                )
                csrf = re.search(r"csrftoken=(\w+)", headers.get("Set-Cookie", ""))
                started = re.search(rb'name="started" value="([^"]+)"', html)
                if status == 200 and csrf and started:
                    return csrf.group(1), started.group(1).decode()
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.5)
        raise RuntimeError("no comment form could be read")

    def client(self) -> None:
        csrf, started = self._form()
        while not self.stop.is_set():
            roll = random.random()
            page_id, path = random.choice(self.articles)
            if roll < 0.90:
                kind, method, target, body, headers = "page", "GET", path, None, {}
            elif roll < 0.98:
                kind, method, body, headers = "read", "GET", None, {}
                target = random.choice(
                    [
                        f"/api/threads/{page_id}/comments",
                        f"/api/counts?url={path}",
                        f"/comments/{page_id}/list/",
                    ]
                )
            else:
                kind, method, target = (
                    "post",
                    "POST",
                    f"/api/threads/{page_id}/comments",
                )
                key = self._next_key()
                body = json.dumps(
                    {
                        "body": f"Load test comment {key}.",
                        "name": "Load Tester",
                        "email": f"{key}@example.org",
                        "website": "",
                        "parent": None,
                        "key": key,
                        "started": started,
                        "nickname": "",
                        "notify": "all",
                    }
                ).encode()
                headers = {
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                    "Cookie": f"csrftoken={csrf}",
                    "X-CSRFToken": csrf,
                }
            started_at = time.monotonic()
            try:
                status, _, _ = self._call(method, target, body, headers)
                outcome = "ok" if status < 400 else f"HTTP {status}"
            except TimeoutError:
                outcome, status = "timeout", 0
            except ConnectionRefusedError:
                outcome, status = "connection refused", 0
            except (
                ConnectionResetError,
                http.client.RemoteDisconnected,
                BrokenPipeError,
            ):
                outcome, status = "connection reset", 0
            except http.client.IncompleteRead:
                outcome, status = "response cut short", 0
            except (OSError, http.client.HTTPException) as exc:
                outcome, status = type(exc).__name__, 0
            if kind == "post":
                (self.accepted if status == 201 else self.refused).append(key)
            self.records.append(Record(started_at, kind, outcome))

    def run(
        self,
        seconds: float,
        clients: int,
        during: Callable[[float], None] | None = None,
    ) -> tuple[float, float]:
        self.stop.clear()
        threads = [
            threading.Thread(target=self.client, daemon=True) for _ in range(clients)
        ]
        begin = time.monotonic()
        for thread in threads:
            thread.start()
        if during:
            during(begin)
        remaining = begin + seconds - time.monotonic()
        if remaining > 0:
            time.sleep(remaining)
        self.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        return begin, time.monotonic()


# Faults ------------------------------------------------------------------------


@dataclass
class Fault:
    name: str
    start: float
    end: float
    recovery: float | None = None
    note: str = ""


def pages_ok_during(records: list[Record], fault: Fault) -> str:
    """Share of article pages answered 200 between the fault's start and end."""
    pages = [
        r for r in records if r.kind == "page" and fault.start <= r.at <= fault.end
    ]
    if not pages:
        return "-"
    ok = sum(r.outcome == "ok" for r in pages)
    return f"{100 * ok / len(pages):.1f}% of {len(pages)}"


def recovery_after(records: list[Record], fault: Fault, until: float) -> float | None:
    """Seconds from the fault's start until 2 s without any failed request."""
    times = sorted((r.at, r.outcome != "ok") for r in records if r.at >= fault.start)
    errors = [t for t, bad in times if bad]
    last_error = fault.end
    for t in errors:
        if t - last_error >= 2.0 and t > fault.end:
            break
        last_error = max(last_error, t)
    if until - last_error < 2.0:
        return None
    return max(0.0, last_error - fault.start)


def inject_faults(
    stack: dict[str, Any], faults: list[Fault]
) -> Callable[[float], None]:
    tribune: Tribune = stack["tribune"]
    redis: Redis = stack["redis"]
    postgres: Postgres = stack["postgres"]
    smtp: Smtp = stack["smtp"]

    def at(begin: float, offset: float) -> None:
        time.sleep(max(0.0, begin + offset - time.monotonic()))

    def run(begin: float) -> None:
        at(begin, 3)
        pids = tribune.web_worker_pids(0)
        now = time.monotonic()
        if pids:
            os.kill(pids[0], signal.SIGKILL)
        faults.append(
            Fault(
                "kill -9 a web worker", now, now, note=f"pid {pids[0] if pids else '?'}"
            )
        )
        log("fault: killed a web worker")

        at(begin, 10)
        redis.stop()
        start = time.monotonic()
        log("fault: Redis stopped")
        at(begin, 40)
        redis.start()
        faults.append(Fault("Redis stopped 30 s", start, time.monotonic()))
        log("fault: Redis back")

        at(begin, 50)
        start = time.monotonic()
        postgres.restart()
        faults.append(Fault("PostgreSQL restart", start, time.monotonic()))
        log("fault: PostgreSQL restarted")

        at(begin, 58)
        smtp.refusing = True
        start = time.monotonic()
        at(begin, 73)
        smtp.refusing = False
        faults.append(
            Fault(
                "SMTP refuses 15 s",
                start,
                time.monotonic(),
                note="recovery: next delivery",
            )
        )
        log("fault: SMTP accepts again")

        smtp.stall = 5.0
        smtp.data_started.clear()
        got = smtp.data_started.wait(timeout=12)
        start = time.monotonic()
        worker = tribune.worker
        tribune.worker = None  # not the supervisor's to restart
        if worker and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        smtp.stall = 0.0
        tribune.start_worker()
        faults.append(
            Fault(
                "kill -9 task worker mid-DATA",
                start,
                time.monotonic(),
                note=("during DATA" if got else "no mail in flight; killed anyway")
                + "; recovery: next delivery",
            )
        )
        log("fault: task worker killed and restarted")

    return run


# Reading the outcome -----------------------------------------------------------


def stored_keys(postgres: Postgres) -> list[str]:
    with postgres.connect() as db:
        rows = db.execute(
            "SELECT idempotency_key FROM discussion_comment "
            "WHERE idempotency_key LIKE %s",
            [MARK + "%"],
        ).fetchall()
    return [r[0] for r in rows]


def outbox(postgres: Postgres) -> tuple[list[str], Counter[str]]:
    with postgres.connect() as db:
        rows = db.execute(
            "SELECT message_id, status FROM mailing_outboundemail "
            "WHERE status <> 'suppressed'"
        ).fetchall()
    return [r[0] for r in rows], Counter(r[1] for r in rows)


def settle(postgres: Postgres, seconds: float) -> Counter[str]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            _, states = outbox(postgres)
        except Exception:
            states = Counter({"unreadable": 1})
        pending = states["queued"] + states["sending"] + states["unreadable"]
        if not pending or time.monotonic() > deadline:
            return states
        time.sleep(3)


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
        for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def phase_rows(
    name: str, records: list[Record], seconds: float
) -> list[tuple[str, ...]]:
    errors = Counter(r.outcome for r in records if r.outcome != "ok")
    kinds = Counter(r.kind for r in records)
    page_ok = sum(1 for r in records if r.kind == "page" and r.outcome == "ok")
    return [
        (
            name,
            str(len(records)),
            f"{len(records) / seconds:.0f}",
            f"{kinds['page']}/{kinds['read']}/{kinds['post']}",
            f"{100 * page_ok / max(1, kinds['page']):.1f}%",
            ", ".join(f"{k}: {v}" for k, v in errors.most_common()) or "none",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration",
        type=float,
        default=60,
        help="seconds of the normal phase (the fault phase lasts at least 90 s)",
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--settle",
        type=float,
        default=90,
        help="seconds to wait for the outbox to drain",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="tribune-loadtest-"))
    postgres, redis, smtp = Postgres(base), Redis(), Smtp()
    var = base / "var"
    logs = base / "logs"
    logs.mkdir()
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "EMAIL_HOST"}
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="loadtest_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        SECRET_KEY="loadtest-only-" + os.urandom(8).hex(),
        TRIBUNE_VAR_DIR=str(var),
        DATABASE_URL=postgres.url(),
        REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        EMAIL_TIMEOUT="10",
        DISCUSSION_MIN_FILL_SECONDS="0",
        TRUSTED_PROXIES="",
        TRIBUNE_ACCESS_LOG="off",
        LOG_LEVEL="WARNING",
    )
    tribune = Tribune(environ, logs)
    stack = {"tribune": tribune, "redis": redis, "postgres": postgres, "smtp": smtp}
    try:
        log(f"state in {base}")
        postgres.start()
        with __import__("psycopg").connect(
            postgres.url("postgres"), autocommit=True
        ) as db:
            db.execute("CREATE DATABASE tribune")
        redis.start()
        smtp.start()
        log("services up: PostgreSQL, Redis, SMTP; loading the demo")
        tribune.run("demo")
        tribune.run("shell", "-c", SETUP)
        articles = [
            tuple(a)
            for a in json.loads(
                tribune.run("shell", "-c", ARTICLES).strip().splitlines()[-1]
            )
        ]
        tribune.run("collectstatic", "--noinput", "--verbosity", "0")
        for index in range(2):
            tribune.start_node(index)
        tribune.start_worker()
        for port, _ in tribune.nodes:
            wait_healthy(port, 300)
        supervising = threading.Event()
        threading.Thread(
            target=tribune.supervise, args=(supervising,), daemon=True
        ).start()
        load = Load(ports=[p for p, _ in tribune.nodes], articles=articles)
        log(f"two nodes on {load.ports}, {len(articles)} articles; normal phase")

        begin, end = load.run(args.duration, args.clients)
        normal = [r for r in load.records if begin <= r.at < end]
        log("fault phase")
        faults: list[Fault] = []
        f_begin, f_end = load.run(
            max(90.0, args.duration), args.clients, inject_faults(stack, faults)
        )
        faulted = [r for r in load.records if f_begin <= r.at < f_end]
        log(f"load over; waiting up to {args.settle:.0f} s for the outbox")
        states = settle(postgres, args.settle)
        supervising.set()
        stored = stored_keys(postgres)
        queued, _ = outbox(postgres)
        result = check_integrity(
            accepted=load.accepted,
            refused=load.refused,
            stored=stored,
            queued=queued,
            delivered=smtp.received,
        )
        for fault in faults:
            if "recovery: next delivery" in fault.note:
                later = [t for t in smtp.received_at if t >= fault.end]
                fault.recovery = (later[0] - fault.start) if later else None
            else:
                fault.recovery = recovery_after(faulted, fault, f_end)
    finally:
        tribune.stop()
        smtp.stop()
        redis.stop()
        postgres.stop()

    print()
    print(
        table(
            [
                (
                    "phase",
                    "requests",
                    "req/s",
                    "page/read/post",
                    "pages 200",
                    "errors by kind",
                ),
                *phase_rows("normal", normal, end - begin),
                *phase_rows("faults", faulted, f_end - f_begin),
            ]
        )
    )
    print()
    print(
        table(
            [
                ("check", "value"),
                ("comments accepted (201)", str(result.comments_accepted)),
                ("comments stored (of those posted)", str(result.comments_stored)),
                ("accepted but lost", str(len(result.comments_lost))),
                (
                    "stored behind an error",
                    str(len(result.comments_stored_behind_error)),
                ),
                ("mails queued", str(result.mails_queued)),
                ("mails delivered", str(result.mails_delivered)),
                ("mails missing", str(len(result.mails_missing))),
                ("mails duplicated", str(len(result.mails_duplicated))),
                ("SMTP refusals (451)", str(smtp.refused)),
                (
                    "processes that exited and were restarted",
                    ", ".join(f"{k}: {v}" for k, v in sorted(tribune.restarts.items()))
                    or "none",
                ),
                (
                    "outbox states at the end",
                    ", ".join(f"{k}: {v}" for k, v in sorted(states.items())),
                ),
            ]
        )
    )
    print()
    print(
        table(
            [
                ("fault", "pages 200 while it lasts", "recovery", "note"),
                *[
                    (
                        f.name,
                        pages_ok_during(faulted, f),
                        "not within the run"
                        if f.recovery is None
                        else f"{f.recovery:.1f} s",
                        f.note,
                    )
                    for f in faults
                ],
            ]
        )
    )
    print()
    print("integrity:", "OK" if result.ok else "FAILED (see above)")
    if args.keep or not result.ok:
        print(f"logs and state kept in {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)


SETUP = """
from tribune.discussion import selectors
from tribune.discussion.models import ModerationPolicy, SiteCommentsMode
rules = selectors.get_settings(None)
rules.moderation = ModerationPolicy.PUBLISH
rules.comments = SiteCommentsMode.OPEN
# Every client posts from 127.0.0.1 without a guest cookie: the per-network limits
# against abuse (0 switches one off) would refuse most of the load's posts.
rules.new_guests_per_ip_per_hour = 0
rules.votes_per_ip_per_hour = 0
rules.reports_per_ip_per_hour = 0
rules.save()
"""
ARTICLES = """
import json
from tribune.newsroom.models import ArticlePage
pages = ArticlePage.objects.live().order_by("-first_published_at")[:10]
print(json.dumps([[p.pk, p.url] for p in pages]))
"""

if __name__ == "__main__":
    main()
