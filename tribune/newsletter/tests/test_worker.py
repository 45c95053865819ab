"""A send survives the real `tribune worker` being killed in the middle of it.

The loopback SMTP server SIGKILLs the worker at the RCPT of one message well
into the send; a second worker carries on. Every subscriber gets the report
exactly once: the delivery rows say who was handed to the outbox, and the
outbox's lease brings back the message the dead worker held.
"""

from __future__ import annotations

import signal
import threading
from collections import Counter
from pathlib import Path

import pytest

from tribune.mailing.models import OutboundEmail
from tribune.mailing.tests.conftest import (
    SMTPServer,
    TribuneProcess,
    stop_process,
    tribune_process,
    wait_for,
)
from tribune.newsletter import services
from tribune.newsletter.models import Delivery, Dispatch
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db(transaction=True)
READERS = 300
KILL_AT = 120
# Fast pacing and short leases, so the send and its recovery fit in a test (a lease
# long enough that a loaded machine never takes a message away from a live worker).
SETTINGS = """
MAILING_LEASE_SECONDS = 10
MAILING_BACKOFF_BASE = 1
NEWSLETTER_RATE_PER_MINUTE = 100000
NEWSLETTER_BATCH = 40
WORKER_PERIODIC_COMMANDS = {**WORKER_PERIODIC_COMMANDS, "newsletter_send": 1.0}
"""


def test_a_worker_killed_mid_send_leaves_everyone_mailed_exactly_once(
    smtp_server: SMTPServer, tmp_path: Path
) -> None:
    for n in range(READERS):
        services.subscribe(email=f"reader{n:03}@example.org")
    newsroom.article(title="Flood warning lifted")
    dispatch = Dispatch.objects.get()

    workers: list[TribuneProcess] = []
    rcpts = 0
    lock = threading.Lock()

    def kill_once_well_into_the_send() -> None:
        nonlocal rcpts
        with lock:
            rcpts += 1
            if rcpts != KILL_AT:
                return
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()

    smtp_server.on_rcpt = kill_once_well_into_the_send
    workers.append(
        tribune_process(["worker"], tmp_path, smtp=smtp_server, settings=SETTINGS)
    )
    workers[0].wait(timeout=240)
    assert workers[0].returncode == -signal.SIGKILL, workers[0].output()[1]
    smtp_server.on_rcpt = None
    before = len(smtp_server.received)
    assert 0 < before < READERS
    assert Delivery.objects.filter(state=Delivery.State.PENDING).exists()

    second = tribune_process(["worker"], tmp_path, smtp=smtp_server, settings=SETTINGS)
    try:
        wait_for(lambda: len(smtp_server.received) >= READERS, timeout=240)
        wait_for(
            lambda: not OutboundEmail.objects.exclude(status="sent").exists(),
            timeout=60,
        )
    finally:
        stderr_text = stop_process(second)
    check_everyone_once(smtp_server, dispatch, stderr_text)


def check_everyone_once(smtp_server: SMTPServer, dispatch: Dispatch, log: str) -> None:
    counts = Counter(r.rcpt_tos[0] for r in smtp_server.received)
    assert len(counts) == READERS, log
    assert set(counts.values()) == {1}, counts.most_common(3)
    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.DONE
    assert dispatch.recipients == READERS
    assert Delivery.objects.filter(state=Delivery.State.QUEUED).count() == READERS
