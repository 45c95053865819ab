"""The real `tribune worker`, in a subprocess on the test database.

Without SMTP settings it prints mail to its console. Killed in the middle of a
delivery (the loopback SMTP server sends it SIGKILL at a chosen step of the
conversation, before answering that step) it neither duplicates nor loses mail.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine

from tribune.core import clock
from tribune.mailing import delivery
from tribune.mailing.models import OutboundEmail
from tribune.mailing.tests.conftest import ROOT, SMTPServer, database_url
from tribune.mailing.tests.factories import queued_email

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutboundEmail.Status


def _start_worker(
    var_dir: Path, smtp: SMTPServer | None = None
) -> subprocess.Popen[bytes]:
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    environ = {k: v for k, v in os.environ.items() if k in keep}
    environ.update(
        DJANGO_SETTINGS_MODULE="tribune.config.settings.dev",
        SECRET_KEY="worker-test-only",
        DATABASE_URL=database_url(),
        EMAIL_TIMEOUT="10",
        DEFAULT_FROM_EMAIL="newsroom@example.org",
        TRIBUNE_VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
    )
    if smtp is not None:
        environ["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp.port}"
    return subprocess.Popen(
        [sys.executable, "-m", "tribune", "worker", "--max-tasks", "1"],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_without_smtp_settings_the_worker_prints_mail(
    smtp_settings: SMTPServer, tmp_path: Path
) -> None:
    email = queued_email(subject="Confirm your subscription")
    worker = _start_worker(tmp_path)
    stdout, stderr = worker.communicate(timeout=120)
    assert worker.returncode == 0, stderr.decode()
    printed = stdout.decode()
    assert "Subject: Confirm your subscription" in printed
    assert f"Message-ID: {email.message_id}" in printed
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in printed
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert smtp_settings.received == []


def _kill_on(
    step: str, smtp: SMTPServer, worker: list[subprocess.Popen[bytes]]
) -> None:
    def kill() -> None:
        worker[0].send_signal(signal.SIGKILL)
        worker[0].wait()

    setattr(smtp, f"on_{step}", kill)


def _deliver_in_killed_worker(
    step: str, smtp: SMTPServer, tmp_path: Path
) -> OutboundEmail:
    email = queued_email(to="reader@example.org")
    worker: list[subprocess.Popen[bytes]] = []
    _kill_on(step, smtp, worker)
    worker.append(_start_worker(tmp_path, smtp))
    _, stderr = worker[0].communicate(timeout=120)
    assert worker[0].returncode == -signal.SIGKILL, stderr.decode()
    setattr(smtp, f"on_{step}", None)
    email.refresh_from_db()
    assert email.status == Status.SENDING
    return email


def _after_the_lease(email: OutboundEmail) -> Any:
    assert email.lease_until is not None
    return time_machine.travel(email.lease_until + dt.timedelta(seconds=1))


def test_worker_killed_after_handing_over_causes_no_duplicate(
    smtp_settings: SMTPServer, run_worker: Callable[[], int], tmp_path: Path
) -> None:
    """The server has the message; the record says it was handed over. Recovery
    marks it "unknown" for the operator and never sends it again."""
    email = _deliver_in_killed_worker("data", smtp_settings, tmp_path)
    assert len(smtp_settings.received) == 1
    assert email.handed_over_at is not None
    with _after_the_lease(email):
        assert delivery.sweep().unknown == 1
        run_worker()
        delivery.sweep()
        run_worker()
    email.refresh_from_db()
    assert email.status == Status.UNKNOWN
    assert "after handing the message over" in email.last_error
    assert len(smtp_settings.received) == 1


def test_worker_killed_before_handing_over_loses_nothing(
    smtp_settings: SMTPServer, run_worker: Callable[[], int], tmp_path: Path
) -> None:
    """The server never got the end of the message, so it dropped it; recovery
    sends it again, once, with the same Message-ID."""
    email = _deliver_in_killed_worker("rcpt", smtp_settings, tmp_path)
    assert smtp_settings.received == []
    assert email.handed_over_at is None
    with _after_the_lease(email):
        assert delivery.sweep().requeued == 1
        run_worker()
        delivery.sweep()
        run_worker()
    [received] = smtp_settings.received
    assert received.message["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 2)
    assert clock.now() < email.sent_at + dt.timedelta(hours=1)  # type: ignore[operator]
