"""Retry delays double from the base and stop at the cap."""

from __future__ import annotations

import datetime as dt

import pytest

from tribune.mailing.backoff import retry_delay


def test_delays_double_until_the_cap() -> None:
    delays = [retry_delay(attempts=n, base=60, cap=1800) for n in range(1, 8)]
    assert [d.total_seconds() for d in delays] == [60, 120, 240, 480, 960, 1800, 1800]


def test_huge_attempt_counts_stay_at_the_cap() -> None:
    assert retry_delay(attempts=10_000, base=60, cap=1800) == dt.timedelta(minutes=30)


def test_attempts_start_at_one() -> None:
    with pytest.raises(ValueError, match="starts at 1"):
        retry_delay(attempts=0, base=60, cap=1800)
