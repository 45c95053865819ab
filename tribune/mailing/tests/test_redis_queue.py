"""With REDIS_URL set, mail is enqueued on Redis and `tribune worker` runs RQ.

Both the request (a `tribune shell` that queues the mail) and the worker are
subprocesses with the production-like dev settings, a private redis-server and
the test database.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tribune.mailing.models import OutboundEmail
from tribune.mailing.tests.conftest import ROOT, SMTPServer, database_url, free_port

pytestmark = pytest.mark.django_db(transaction=True)
REDIS = shutil.which("redis-server")


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    if REDIS is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    args = ["--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    args += ["--appendonly", "no", "--dir", str(tmp_path)]
    server = subprocess.Popen([REDIS, *args], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


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
        [str(Path(ROOT, ".venv/bin/python")), "-m", "tribune", *args],
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
