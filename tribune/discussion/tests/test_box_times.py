"""The box's times (box_times.written), kept per minute, zone and language:
equal to Django's `date` filter for any time, zone and language."""

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from tribune.discussion import box_times, fragments


def _moments(rng):
    """Times of every kind: any second from 1900 to 2100, and runs of seconds
    across offset changes (each minute's strings are kept: later seconds of a
    run find them)."""
    for _ in range(300):
        yield dt.datetime(1900, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            seconds=rng.randrange(200 * 365 * 86400), microseconds=rng.randrange(10**6)
        )
    changes = [
        dt.datetime(2026, 3, 29, 1, tzinfo=dt.UTC),  # Europe forward
        dt.datetime(2026, 10, 25, 1, tzinfo=dt.UTC),  # Europe back
        dt.datetime(2026, 3, 8, 7, tzinfo=dt.UTC),  # New York forward
        dt.datetime(2026, 11, 1, 6, tzinfo=dt.UTC),  # New York back
        dt.datetime(2026, 4, 4, 15, tzinfo=dt.UTC),  # Lord Howe: half an hour
        dt.datetime(1937, 6, 30, 22, 40, tzinfo=dt.UTC),  # Amsterdam +00:19:32 ends
        dt.datetime(1972, 1, 7, 0, 44, 30, tzinfo=dt.UTC),  # Monrovia -00:44:30 ends
        dt.datetime(2026, 6, 1, 10, 0, 30, tzinfo=dt.UTC),  # _ChangeMidMinute
        dt.datetime(2026, 6, 1, 11, 0, 30, tzinfo=dt.UTC),  # its double hour ends
    ]
    for change in changes:
        for seconds in range(-3700, 3700, 29):
            yield change + dt.timedelta(seconds=seconds)
        for seconds in range(-65, 65):
            yield change + dt.timedelta(seconds=seconds)


_HOUR, _ZERO = dt.timedelta(hours=1), dt.timedelta(0)


class _ChangeMidMinute(dt.tzinfo):
    """+01:00 until 10:00:30 UTC on 1 June 2026, then +00:00: the offset
    changes within a minute, and the hour of wall times read twice ends
    within one."""

    change = dt.datetime(2026, 6, 1, 10, 0, 30)  # noqa: DTZ001 (UTC, naive)

    def utcoffset(self, d):
        wall = d.replace(tzinfo=None, fold=0)
        before, after = wall < self.change + _HOUR, wall >= self.change
        if before and after:
            return _ZERO if d.fold else _HOUR
        return _HOUR if before else _ZERO

    def dst(self, d):
        return None

    def tzname(self, d):
        return "MID"

    def fromutc(self, d):
        utc = d.replace(tzinfo=None)
        if utc < self.change:
            return (utc + _HOUR).replace(tzinfo=self)
        return utc.replace(tzinfo=self, fold=int(utc < self.change + _HOUR))


@pytest.mark.parametrize("language", ["en", "de", "uk"])
def test_kept_times_equal_the_date_filter_everywhere(language):
    zones = [
        _ChangeMidMinute(),
        dt.UTC,
        dt.timezone(dt.timedelta(hours=-5, minutes=-30)),
        *map(
            ZoneInfo,
            [
                "Europe/London",
                "Europe/Amsterdam",
                "America/New_York",
                "Australia/Lord_Howe",
                "Asia/Kathmandu",
                "Africa/Monrovia",
            ],
        ),
    ]
    rng = random.Random(45)
    moments = list(_moments(rng))
    with translation.override(language):
        for zone in zones:
            for moment in moments:
                local = timezone.localtime(moment, zone)
                expected = [date_filter(local, f) for f in fragments._TIME_FORMATS]
                assert box_times.written(moment, zone, language) == expected, (
                    moment,
                    zone,
                )


def test_kept_times_are_of_their_language_and_zone():
    moment = dt.datetime(2026, 3, 5, 12, 30, 15, tzinfo=dt.UTC)
    london, kathmandu = ZoneInfo("Europe/London"), ZoneInfo("Asia/Kathmandu")
    for language, month in (("en", "Mar"), ("de", "Mär"), ("en", "Mar")):
        with translation.override(language):
            got = box_times.written(moment, london, language)
        assert got == ["2026-03-05T12:30:15+0000", f"5 {month} 2026, 12:30"]
    assert box_times.written(moment, kathmandu, "en") == [
        "2026-03-05T18:15:15+0545",
        "5 Mar 2026, 18:15",
    ]
