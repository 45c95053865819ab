"""Pruning the sent-mail log keeps recent and unfinished messages."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tribune.mailing.models import OutboundEmail
from tribune.mailing.tests.factories import queued_email

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status
T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def _old_rows() -> dict[str, OutboundEmail]:
    rows = {}
    with time_machine.travel(T0, tick=False):
        for status in [Status.SENT, Status.FAILED, Status.QUEUED, Status.UNKNOWN]:
            email = queued_email()
            OutboundEmail.objects.filter(pk=email.pk).update(status=status, sent_at=T0)
            rows[status] = email
    return rows


def test_old_finished_messages_are_deleted() -> None:
    rows = _old_rows()
    out = StringIO()
    with time_machine.travel(T0 + dt.timedelta(days=170), tick=False) as traveller:
        recent = queued_email()
        OutboundEmail.objects.filter(pk=recent.pk).update(
            status=Status.SENT, sent_at=T0
        )
        traveller.shift(dt.timedelta(days=30))
        call_command("mailing_prune", "--days", "180", stdout=out)
    assert out.getvalue().strip() == "deleted 2 messages older than 180 days"
    left = set(OutboundEmail.objects.values_list("pk", flat=True))
    assert left == {rows[Status.QUEUED].pk, rows[Status.UNKNOWN].pk, recent.pk}


def test_dry_run_deletes_nothing() -> None:
    _old_rows()
    out = StringIO()
    with time_machine.travel(T0 + dt.timedelta(days=200), tick=False):
        call_command("mailing_prune", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "would delete 2 messages older than 180 days"
    assert OutboundEmail.objects.count() == 4


def test_zero_days_is_refused() -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("mailing_prune", "--days", "0")
