"""Daily and weekly digests carry the reports first published in their period,
filtered by each reader's choices, once per period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tribune.mailing.tests.conftest import SMTPServer
from tribune.newsletter.models import Dispatch
from tribune.newsletter.tests.factories import subscriber
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db(transaction=True)
TZ = ZoneInfo("Europe/Berlin")
# A Wednesday; digests close at 07:00 local time.
DAY = dt.date(2026, 11, 18)


def at(day_offset: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(
        DAY + dt.timedelta(days=day_offset), dt.time(hour, minute), tzinfo=TZ
    )


def publish(title: str, when: dt.datetime, series: Any) -> None:
    with time_machine.travel(when, tick=False):
        newsroom.article(in_series=series, title=title)


def text_of(received: Any) -> str:
    return received.message.get_body(preferencelist=("plain",)).get_content()


def test_digests_hold_the_reports_of_their_period_that_each_reader_follows(
    smtp_settings: SMTPServer,
    run_worker: Callable[[], int],
    settings: Any,
) -> None:
    settings.TIME_ZONE = "Europe/Berlin"
    settings.NEWSLETTER_DIGEST_HOUR = 7
    settings.NEWSLETTER_WEEKLY_WEEKDAY = DAY.weekday()
    valley = newsroom.series("Valley")
    hills = newsroom.series("Hills")
    subscriber(
        "valley-daily@example.org",
        everything=False,
        series_ids=[valley.pk],
        frequency="daily",
    )
    subscriber("all-daily@example.org", frequency="daily")
    subscriber("all-weekly@example.org", frequency="weekly")
    subscriber(
        "hills-daily@example.org",
        everything=False,
        series_ids=[hills.pk],
        frequency="daily",
    )

    publish("Older report", at(-3, 12), valley)
    publish("Before the period", at(-1, 6, 59), valley)
    publish("Valley morning", at(-1, 7, 0), valley)
    publish("Hills evening", at(-1, 21), hills)
    publish("Valley dawn", at(0, 6, 59), valley)
    publish("After the period", at(0, 7, 1), valley)

    with time_machine.travel(at(0, 7, 30), tick=False):
        call_command("newsletter_send", verbosity=0)
        call_command("newsletter_send", verbosity=0)  # a second run starts nothing
        run_worker()
    mails = {r.rcpt_tos[0]: text_of(r) for r in smtp_settings.received}
    assert set(mails) == {
        "valley-daily@example.org",
        "all-daily@example.org",
        "all-weekly@example.org",
        "hills-daily@example.org",
    }

    def titles(text: str) -> list[str]:
        names = [
            "Older report",
            "Before the period",
            "Valley morning",
            "Hills evening",
            "Valley dawn",
            "After the period",
        ]
        return [n for n in names if n in text]

    assert titles(mails["valley-daily@example.org"]) == [
        "Valley morning",
        "Valley dawn",
    ]
    assert titles(mails["hills-daily@example.org"]) == ["Hills evening"]
    assert titles(mails["all-daily@example.org"]) == [
        "Valley morning",
        "Hills evening",
        "Valley dawn",
    ]
    assert titles(mails["all-weekly@example.org"]) == [
        "Older report",
        "Before the period",
        "Valley morning",
        "Hills evening",
        "Valley dawn",
    ]
    assert Dispatch.objects.filter(kind__in=["daily", "weekly"]).count() == 2

    # The next day's digest starts where this one ended.
    with time_machine.travel(at(1, 8), tick=False):
        call_command("newsletter_send", verbosity=0)
        run_worker()
    later = [text_of(r) for r in smtp_settings.received[4:]]
    assert [titles(t) for t in later] == [["After the period"]] * 2
