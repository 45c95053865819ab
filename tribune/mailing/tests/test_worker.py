"""The real `tribune worker`, in a subprocess on the test database.

Without SMTP settings it prints mail to its console. Killed in the middle of a
delivery (the loopback SMTP server sends it SIGKILL at a chosen step of the
conversation, before answering that step) it loses no mail: before the
hand-over the message is sent again once; after it, sent again and counted as a
possible duplicate.
"""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine

from tribune.core import clock
from tribune.mailing import delivery
from tribune.mailing.models import OutboundEmail
from tribune.mailing.tests.conftest import (
    SMTPServer,
    TribuneProcess,
    stop_process,
    tribune_process,
    wait_for,
)
from tribune.mailing.tests.factories import queued_email

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutboundEmail.Status


# A lease of seconds and quick retries, so recovery fits in a test; the clock
# keeps the periods of the settings.
SHORT = "MAILING_LEASE_SECONDS = 3\nMAILING_BACKOFF_BASE = 1"


def _start_worker(var_dir: Path, smtp: SMTPServer | None = None) -> TribuneProcess:
    # Runs until stopped: with `--max-tasks` it could exit after a task that
    # found the message already claimed by its clock.
    return tribune_process(["worker"], var_dir, smtp=smtp, settings=SHORT)


def _status(email: OutboundEmail) -> str:
    return str(OutboundEmail.objects.values_list("status", flat=True).get(pk=email.pk))


def test_without_smtp_settings_the_worker_writes_mail_quietly_under_var(
    smtp_settings: SMTPServer, tmp_path: Path
) -> None:
    email = queued_email(subject="Confirm your subscription")
    worker = _start_worker(tmp_path)
    try:
        wait_for(lambda: _status(email) == Status.SENT, timeout=60)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    stdout, stderr = worker.output()
    assert worker.returncode == 0, stderr
    # Quiet by default: neither the mail nor a line per task (`-v 2` shows those).
    assert "Confirm your subscription" not in stdout
    assert "state=" not in stdout + stderr
    written = "".join(p.read_text() for p in (tmp_path / "mail").iterdir())
    assert "Subject: Confirm your subscription" in written
    assert f"Message-ID: {email.message_id}" in written
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in written
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert smtp_settings.received == []


def _kill_on(step: str, smtp: SMTPServer, worker: list[TribuneProcess]) -> None:
    def kill() -> None:
        worker[0].send_signal(signal.SIGKILL)
        worker[0].wait()

    setattr(smtp, f"on_{step}", kill)


def _deliver_in_killed_worker(
    step: str, smtp: SMTPServer, tmp_path: Path
) -> OutboundEmail:
    email = queued_email(to="reader@example.org")
    worker: list[TribuneProcess] = []
    _kill_on(step, smtp, worker)
    worker.append(_start_worker(tmp_path, smtp))
    worker[0].wait(timeout=120)
    assert worker[0].returncode == -signal.SIGKILL, worker[0].output()[1]
    setattr(smtp, f"on_{step}", None)
    email.refresh_from_db()
    assert email.status == Status.SENDING
    return email


def _after_the_lease(email: OutboundEmail) -> Any:
    assert email.lease_until is not None
    return time_machine.travel(email.lease_until + dt.timedelta(seconds=1))


def test_sigusr1_prints_every_threads_stack_and_the_worker_goes_on(
    smtp_settings: SMTPServer, tmp_path: Path
) -> None:
    first = queued_email(subject="Before the dump")
    worker = _start_worker(tmp_path, smtp_settings)
    try:
        wait_for(lambda: _status(first) == Status.SENT, timeout=60)
        worker.send_signal(signal.SIGUSR1)
        second = queued_email(subject="After the dump")
        wait_for(lambda: _status(second) == Status.SENT, timeout=60)
    finally:
        stderr = stop_process(worker)
    assert worker.returncode == 0, stderr
    # faulthandler's dump: the main thread and the clock's.
    assert "Current thread 0x" in stderr and "most recent call first" in stderr
    assert stderr.count("Thread 0x") >= 1, stderr


def test_worker_killed_after_handing_over_gets_its_message_sent_again(
    smtp_settings: SMTPServer, tmp_path: Path
) -> None:
    """The server may hold the message (here it does); a loss is worse than a
    second copy, so the next worker sends it again after the lease and the row
    counts it as a possible duplicate."""
    email = _deliver_in_killed_worker("data", smtp_settings, tmp_path)
    assert len(smtp_settings.received) == 1
    assert email.handed_over_at is not None
    worker = tribune_process(["worker"], tmp_path, smtp=smtp_settings, settings=SHORT)
    try:
        wait_for(lambda: _status(email) == Status.SENT, timeout=45)
    finally:
        stderr = stop_process(worker)
    first, second = smtp_settings.received
    assert first.message["Message-ID"] == second.message["Message-ID"]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.possible_duplicates) == (
        Status.SENT,
        2,
        1,
    ), stderr


def test_worker_killed_after_handing_over_on_the_last_attempt_is_unknown(
    smtp_settings: SMTPServer,
    run_worker: Callable[[], int],
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.MAILING_MAX_ATTEMPTS = 1
    email = _deliver_in_killed_worker("data", smtp_settings, tmp_path)
    with _after_the_lease(email):
        assert delivery.sweep().unknown == 1
        run_worker()
    email.refresh_from_db()
    assert (email.status, email.possible_duplicates) == (Status.UNKNOWN, 0)
    assert "after handing the message over" in email.last_error
    assert len(smtp_settings.received) == 1


def test_a_server_that_refuses_for_a_while_then_accepts_gets_the_mail(
    smtp_settings: SMTPServer, tmp_path: Path
) -> None:
    smtp_settings.refuse_rcpt = 3
    email = queued_email()
    worker = tribune_process(["worker"], tmp_path, smtp=smtp_settings, settings=SHORT)
    try:
        wait_for(lambda: _status(email) == Status.SENT, timeout=45)
    finally:
        stderr = stop_process(worker)
    assert len(smtp_settings.received) == 1, stderr
    email.refresh_from_db()
    assert (email.attempts, email.possible_duplicates, smtp_settings.refused) == (
        4,
        0,
        3,
    )


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


def test_a_test_process_that_prints_much_never_blocks_on_its_output(
    tmp_path: Path,
) -> None:
    # Pipes that no one read until the end held 64 KB: a worker that logged
    # more stopped at its next line, and then did not stop on SIGTERM either.
    done = tmp_path / "done"
    script = (
        "import sys; sys.stderr.write('x' * 300_000); sys.stderr.flush(); "
        f"open({str(done)!r}, 'w').close()"
    )
    process = tribune_process(["shell", "-c", script], tmp_path)
    try:
        wait_for(done.exists, timeout=60)
    finally:
        stderr = stop_process(process)
    assert stderr.count("x") >= 300_000
