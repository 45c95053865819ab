"""The sweeper recovers stuck rows and re-enqueues lost tasks, from the worker's clock too."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from tribune.core.management.commands.core_worker import _run_periodically
from tribune.mailing import delivery, tasks
from tribune.mailing.models import OutboundEmail
from tribune.mailing.tests.conftest import SMTPServer
from tribune.mailing.tests.factories import queued_email

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutboundEmail.Status
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _stuck(email: OutboundEmail, *, handed_over: bool) -> None:
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING,
        attempts=1,
        lease_until=T0 + dt.timedelta(minutes=10),
        handed_over_at=T0 if handed_over else None,
    )


def test_a_lost_task_is_enqueued_again_after_the_grace_period(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        email = queued_email()
        DBTaskResult.objects.all().delete()  # as if the queue lost it
        assert delivery.sweep().enqueued == []
        traveller.shift(dt.timedelta(minutes=3))
        assert delivery.sweep().enqueued == [email.pk]
        assert delivery.sweep().enqueued == []
        run_worker()
    assert len(smtp_settings.received) == 1


def test_sweep_leaves_rows_within_their_lease_alone(smtp_settings: SMTPServer) -> None:
    with time_machine.travel(T0, tick=False):
        email = queued_email()
        _stuck(email, handed_over=False)
        result = delivery.sweep()
    assert (result.requeued, result.unknown) == (0, 0)
    email.refresh_from_db()
    assert email.status == Status.SENDING


def test_sweep_command_reports_what_it_did(smtp_settings: SMTPServer) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        before, after = queued_email(), queued_email()
        _stuck(before, handed_over=False)
        _stuck(after, handed_over=True)
        traveller.shift(dt.timedelta(minutes=11))
        out = StringIO()
        call_command("mailing_sweep", stdout=out)
    assert out.getvalue().strip() == (
        "requeued 1, resent 1, unknown 0, failed 0, enqueued 2"
    )
    rows = OutboundEmail.objects.values_list("pk", "status", "possible_duplicates")
    assert set(rows) == {(before.pk, Status.QUEUED, 0), (after.pk, Status.QUEUED, 1)}


def test_worker_clock_runs_the_sweeper(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    email = queued_email()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING, attempts=1, lease_until=T0
    )
    stop = threading.Event()
    clock = threading.Thread(
        target=_run_periodically, args=({"mailing_sweep": 0.05}, stop)
    )
    clock.start()
    try:
        for _ in range(200):
            email.refresh_from_db()
            if email.status == Status.QUEUED:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        clock.join(timeout=5)
    run_worker()
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert len(smtp_settings.received) == 1


def test_a_message_that_keeps_killing_its_worker_is_given_up(
    smtp_settings: SMTPServer, settings: Any
) -> None:
    settings.MAILING_MAX_ATTEMPTS = 3
    with time_machine.travel(T0, tick=False) as traveller:
        email = queued_email()
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=Status.SENDING, attempts=3, lease_until=T0
        )
        traveller.shift(dt.timedelta(seconds=1))
        result = delivery.sweep()
    assert (result.failed, result.requeued, result.enqueued) == (1, 0, [])
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert "every attempt" in email.last_error


def test_a_handed_over_message_on_its_last_attempt_becomes_unknown(
    smtp_settings: SMTPServer, settings: Any
) -> None:
    settings.MAILING_MAX_ATTEMPTS = 1
    with time_machine.travel(T0, tick=False) as traveller:
        email = queued_email()
        _stuck(email, handed_over=True)
        traveller.shift(dt.timedelta(minutes=11))
        result = delivery.sweep()
    assert (result.unknown, result.resent, result.enqueued) == (1, 0, [])
    email.refresh_from_db()
    assert (email.status, email.possible_duplicates) == (Status.UNKNOWN, 0)


def test_due_mail_goes_out_from_the_outbox_without_a_task(
    smtp_settings: SMTPServer,
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        due, later = queued_email(), queued_email()
        OutboundEmail.objects.filter(pk=later.pk).update(
            next_attempt_at=T0 + dt.timedelta(minutes=5)
        )
        DBTaskResult.objects.all().delete()  # as if Redis lost the tasks
        assert delivery.deliver_due() == [Status.SENT]
        assert delivery.deliver_due() == []
        traveller.shift(dt.timedelta(minutes=5))
        out = StringIO()
        call_command("mailing_deliver_due", stdout=out)
    assert out.getvalue().strip() == "sent 1"
    assert [r.rcpt_tos for r in smtp_settings.received] == [
        [due.recipient],
        [later.recipient],
    ]


def test_deliver_due_stops_at_its_limit(smtp_settings: SMTPServer) -> None:
    first, second = queued_email(), queued_email()
    assert delivery.deliver_due(limit=1) == [Status.SENT]
    statuses = dict(OutboundEmail.objects.values_list("pk", "status"))
    assert statuses == {first.pk: Status.SENT, second.pk: Status.QUEUED}


def test_deliver_due_command_refuses_a_limit_below_one() -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("mailing_deliver_due", limit=0)


def test_worker_clock_sends_due_mail_without_the_queue(
    smtp_settings: SMTPServer,
) -> None:
    email = queued_email()
    DBTaskResult.objects.all().delete()
    stop = threading.Event()
    clock = threading.Thread(
        target=_run_periodically, args=({"mailing_deliver_due": 0.05}, stop)
    )
    clock.start()
    try:
        for _ in range(200):
            email.refresh_from_db()
            if email.status == Status.SENT:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        clock.join(timeout=5)
    assert email.status == Status.SENT
    assert len(smtp_settings.received) == 1


def test_sweep_task_returns_its_counts(smtp_settings: SMTPServer) -> None:
    assert tasks.sweep_outbox.call() == {
        "requeued": 0,
        "resent": 0,
        "unknown": 0,
        "failed": 0,
        "enqueued": 0,
    }
