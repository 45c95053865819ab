"""The pure rules: who wants a report, digest periods, the pacing budget."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tribune.newsletter import matching

TZ = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("everything", "series", "topics", "expected"),
    [
        (True, [], [], True),
        (False, [1], [], True),
        (False, [2], [], False),
        (False, [], [7], True),
        (False, [], [8], False),
        (False, [], [], False),
    ],
)
def test_a_reader_wants_a_report_of_a_followed_series_or_topic(
    everything: bool, series: list[int], topics: list[int], expected: bool
) -> None:
    assert (
        matching.wants(
            everything=everything,
            series_ids=series,
            topic_ids=topics,
            report_series_id=1,
            report_topic_ids=[7, 9],
        )
        is expected
    )


def test_a_report_outside_any_series_is_wanted_only_by_topic_or_everything() -> None:
    args = {"series_ids": [1], "report_series_id": None, "report_topic_ids": [3]}
    assert not matching.wants(everything=False, topic_ids=[], **args)
    assert matching.wants(everything=False, topic_ids=[3], **args)


def local(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=TZ)


def test_the_daily_period_ends_at_the_hour_today_or_yesterday() -> None:
    period = matching.digest_period(
        now=local(2026, 11, 18, 7, 0), tz=TZ, hour=7, days=1, weekday=None
    )
    assert period == (local(2026, 11, 17, 7), local(2026, 11, 18, 7))
    before = matching.digest_period(
        now=local(2026, 11, 18, 6, 59), tz=TZ, hour=7, days=1, weekday=None
    )
    assert before == (local(2026, 11, 16, 7), local(2026, 11, 17, 7))


def test_the_weekly_period_ends_on_its_weekday_and_spans_seven_days() -> None:
    wednesday = local(2026, 11, 18, 12)
    monday = 0
    period = matching.digest_period(
        now=wednesday, tz=TZ, hour=7, days=7, weekday=monday
    )
    assert period == (local(2026, 11, 9, 7), local(2026, 11, 16, 7))
    early_monday = local(2026, 11, 16, 6)
    period = matching.digest_period(
        now=early_monday, tz=TZ, hour=7, days=7, weekday=monday
    )
    assert period == (local(2026, 11, 2, 7), local(2026, 11, 9, 7))


def test_periods_across_a_clock_change_keep_the_local_hour() -> None:
    # Summer time ends on 25 October 2026 in Berlin: 7:00 to 7:00 spans 25 hours.
    start, end = matching.digest_period(
        now=local(2026, 10, 25, 8), tz=TZ, hour=7, days=1, weekday=None
    )
    assert start.astimezone(TZ).hour == end.astimezone(TZ).hour == 7
    assert end - start == dt.timedelta(hours=25)


@pytest.mark.parametrize(
    ("rate", "recent", "backlog", "batch", "expected"),
    [
        (600, 0, 0, 50, 50),
        (600, 580, 0, 50, 20),
        (600, 600, 0, 50, 0),
        (600, 0, 30, 50, 20),
        (600, 0, 80, 50, 0),
        (10, 0, 0, 50, 10),
    ],
)
def test_the_pacing_budget_keeps_the_rate_the_batch_and_the_backlog(
    rate: int, recent: int, backlog: int, batch: int, expected: int
) -> None:
    assert (
        matching.allowance(
            rate=rate, sent_last_minute=recent, backlog=backlog, batch=batch
        )
        == expected
    )
