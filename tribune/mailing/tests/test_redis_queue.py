"""With REDIS_URL set, mail is enqueued on Redis and `tribune worker` runs RQ.

Both the request (a `tribune shell` that queues the mail) and the worker are
subprocesses with the production-like dev settings, a private redis-server and
the test database. Redis is a queue, not the record: when it goes away (and
comes back empty) the worker stays up and due mail goes out from the outbox
within seconds.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tribune.mailing.models import OutboundEmail
from tribune.mailing.tests.conftest import (
    ROOT,
    SMTPServer,
    database_url,
    free_port,
    stop_process,
    tribune_process,
    wait_for,
)
from tribune.mailing.tests.factories import queued_email

pytestmark = pytest.mark.django_db(transaction=True)
REDIS = shutil.which("redis-server")


@dataclass
class RedisServer:
    """A private redis-server on a free loopback port, without persistence, that
    a test can stop and start again (empty, as after a crash)."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert REDIS is not None
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", str(self.directory)]
        self.process = subprocess.Popen([REDIS, *args], stdout=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if REDIS is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url


def _tribune(
    args: list[str], smtp: SMTPServer, redis_url: str, var_dir: Path
) -> subprocess.CompletedProcess[str]:
    environ = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "tribune.config.settings.dev",
        "SECRET_KEY": "redis-test-only",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "DEFAULT_FROM_EMAIL": "newsroom@example.org",
        "TRIBUNE_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "-m", "tribune", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


QUEUE = """
from tribune.mailing import services
services.queue_email(to="reader@example.org", subject="Via Redis",
                     text="Queued on Redis.", dedupe_key="redis:1")
"""


def test_mail_goes_through_redis_and_the_rq_worker(
    smtp_settings: SMTPServer, redis_url: str, tmp_path: Path
) -> None:
    # RQ's apps join INSTALLED_APPS with Redis; the worker checks their tables.
    migrated = _tribune(
        ["migrate", "--verbosity", "0"], smtp_settings, redis_url, tmp_path
    )
    assert migrated.returncode == 0, migrated.stderr
    queued = _tribune(["shell", "-c", QUEUE], smtp_settings, redis_url, tmp_path)
    assert queued.returncode == 0, queued.stderr
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.QUEUED
    worker = _tribune(
        ["worker", "--max-tasks", "1"], smtp_settings, redis_url, tmp_path
    )
    assert worker.returncode == 0, worker.stderr
    [received] = smtp_settings.received
    assert received.message["Subject"] == "Via Redis"
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.SENT
    assert received.message["Message-ID"] == email.message_id


Status = OutboundEmail.Status
# Quick retries; the worker's clock keeps the periods of the settings.
SHORT = "MAILING_LEASE_SECONDS = 5\nMAILING_BACKOFF_BASE = 6"


def test_a_retry_due_during_a_redis_outage_goes_out_within_seconds(
    smtp_settings: SMTPServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    smtp_settings.refuse_rcpt = 1
    worker = tribune_process(
        ["worker"],
        tmp_path,
        smtp=smtp_settings,
        redis_url=redis_server.url,
        settings=SHORT,
    )
    try:
        queued = _tribune(
            ["shell", "-c", QUEUE], smtp_settings, redis_server.url, tmp_path
        )
        assert queued.returncode == 0, queued.stderr
        wait_for(lambda: smtp_settings.refused == 1, timeout=60)
        # The retry was scheduled in Redis; Redis dies and comes back empty.
        redis_server.stop()
        time.sleep(2)
        redis_server.start()
        wait_for(lambda: len(smtp_settings.received) == 1, timeout=60)
        assert worker.poll() is None, "the worker died with Redis"
    finally:
        stderr = stop_process(worker)
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts) == (Status.SENT, 2), stderr
    assert email.sent_at is not None
    late = (email.sent_at - email.next_attempt_at).total_seconds()
    assert late < 10, f"sent {late:.1f} s after it was due"


def test_a_worker_started_after_an_outage_sends_everything_due(
    smtp_settings: SMTPServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    redis_server.stop()
    # Queued while Redis was away: the rows are stored, their tasks are not.
    many = """
from tribune.mailing import services
for n in range(5):
    services.queue_email(to=f"reader{n}@example.org", subject="Outage",
                         text="Queued while Redis was away.", dedupe_key="outage")
"""
    queued = _tribune(["shell", "-c", many], smtp_settings, redis_server.url, tmp_path)
    assert queued.returncode == 0, queued.stderr
    assert OutboundEmail.objects.filter(status=Status.QUEUED).count() == 5
    redis_server.start()
    worker = tribune_process(
        ["worker"],
        tmp_path,
        smtp=smtp_settings,
        redis_url=redis_server.url,
        settings=SHORT,
    )
    try:
        took = wait_for(lambda: len(smtp_settings.received) == 5, timeout=60)
    finally:
        stderr = stop_process(worker)
    assert sorted(r.rcpt_tos[0] for r in smtp_settings.received) == [
        f"reader{n}@example.org" for n in range(5)
    ]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {
        Status.SENT
    }, stderr
    assert took < 30


def test_a_worker_started_during_an_outage_sends_due_mail_and_stays_up(
    smtp_settings: SMTPServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    redis_server.stop()
    queued_email(to="early@example.org")
    worker = tribune_process(
        ["worker"],
        tmp_path,
        smtp=smtp_settings,
        redis_url=redis_server.url,
        settings=SHORT,
    )
    try:
        wait_for(lambda: len(smtp_settings.received) == 1, timeout=60)
        redis_server.start()
        queued = _tribune(
            ["shell", "-c", QUEUE], smtp_settings, redis_server.url, tmp_path
        )
        assert queued.returncode == 0, queued.stderr
        wait_for(lambda: len(smtp_settings.received) == 2, timeout=60)
        assert worker.poll() is None, "the worker died with Redis"
    finally:
        stderr = stop_process(worker)
    assert "Redis unreachable" in stderr
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {Status.SENT}


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()]


def test_a_worker_whose_scheduler_does_not_answer_still_stops(
    smtp_settings: SMTPServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    # RQ's own stop waits for its scheduler with no timeout; a stopped
    # scheduler (as one forked while another thread held a lock) never ends.
    worker = tribune_process(
        ["worker"], tmp_path, smtp=smtp_settings, redis_url=redis_server.url
    )
    try:
        # Its work loop has begun (RQ answers SIGTERM from then on), and the
        # scheduler it forked says which process it is.
        # Either line may come first: the scheduler logs from its own process.
        wait_for(
            lambda: (
                "cleaning registries" in worker.output()[1]
                and _SCHEDULER_STARTED.search(worker.output()[1]) is not None
            ),
            timeout=60,
        )
        started = _SCHEDULER_STARTED.search(worker.output()[1])
        assert started is not None, worker.output()[1]
        scheduler = int(started.group(1))
        assert scheduler in _children(worker.pid)
        os.kill(scheduler, signal.SIGSTOP)
        worker.terminate()
        worker.wait(timeout=20)
    finally:
        stderr = stop_process(worker)
    assert "warm shut down requested" in stderr, stderr
    assert not Path(f"/proc/{scheduler}").exists() or _is_zombie(scheduler)


_SCHEDULER_STARTED = re.compile(r"Scheduler for \S+ started with PID (\d+)")


def _is_zombie(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
