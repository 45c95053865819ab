import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tribune.funding import progress
from tribune.funding.progress import Payment, Reduction

BERLIN = ZoneInfo("Europe/Berlin")
D = Decimal


def test_only_succeeded_payments_count():
    payments = [
        Payment("a", "succeeded", D("10")),
        Payment("b", "pending", D("20")),
        Payment("c", "failed", D("30")),
    ]
    assert progress.raised(payments, []) == D("10.00")


def test_refunds_and_lost_disputes_subtract_but_open_and_won_disputes_do_not():
    payments = [Payment("a", "succeeded", D("50")), Payment("b", "succeeded", D("40"))]
    adjustments = [
        Reduction("a", "refund", D("10")),
        Reduction("b", "dispute_opened", D("40")),
        Reduction("b", "dispute_won", D("40")),
    ]
    assert progress.raised(payments, adjustments) == D("80.00")
    adjustments.append(Reduction("a", "dispute_lost", D("15")))
    assert progress.raised(payments, adjustments) == D("65.00")


def test_reversals_of_uncounted_or_unknown_payments_are_ignored():
    payments = [Payment("a", "pending", D("50"))]
    assert progress.raised(payments, [Reduction("a", "refund", D("50"))]) == 0
    assert progress.raised([], [Reduction("x", "refund", D("5"))]) == 0


def test_a_payment_never_counts_below_zero():
    payments = [Payment("a", "succeeded", D("20")), Payment("b", "succeeded", D("5"))]
    adjustments = [
        Reduction("a", "refund", D("20")),
        Reduction("a", "dispute_lost", D("20")),
    ]
    assert progress.raised(payments, adjustments) == D("5.00")


def test_reversals_are_converted_at_the_payments_rate():
    payments = [Payment("a", "succeeded", D("108.25"), D("1.0825"))]
    # 50 at 1.0825 is 54.125, rounded half to even to 54.12; 108.25 - 54.12.
    assert progress.raised(payments, [Reduction("a", "refund", D("50"))]) == D("54.13")


@pytest.mark.parametrize(
    ("status", "kinds", "expected"),
    [
        ("pending", [], "pending"),
        ("failed", [("refund", "5")], "failed"),
        ("succeeded", [], "succeeded"),
        ("succeeded", [("refund", "5")], "partially_refunded"),
        ("succeeded", [("refund", "5"), ("refund", "15")], "refunded"),
        ("succeeded", [("dispute_opened", "20")], "disputed"),
        ("succeeded", [("dispute_opened", "20"), ("dispute_won", "20")], "succeeded"),
        ("succeeded", [("dispute_opened", "20"), ("dispute_lost", "20")], "refunded"),
    ],
)
def test_payment_state_summarises_its_entries(status, kinds, expected):
    entries = [Reduction("a", kind, D(amount)) for kind, amount in kinds]
    assert progress.payment_state(status, D("20"), entries) == expected


def test_month_of_uses_the_site_time_zone_at_the_last_and_first_second():
    last_second = dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=BERLIN)
    first_second = dt.datetime(2026, 12, 1, 0, 0, 0, tzinfo=BERLIN)
    assert progress.month_of(last_second, BERLIN) == dt.date(2026, 11, 1)
    assert progress.month_of(first_second, BERLIN) == dt.date(2026, 12, 1)
    # 23:30 UTC on 30 November is already December in Berlin.
    utc_late = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)
    assert progress.month_of(utc_late, BERLIN) == dt.date(2026, 12, 1)


def test_month_of_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="aware"):
        progress.month_of(dt.datetime(2026, 1, 1), BERLIN)  # noqa: DTZ001


def test_month_window_spans_dst_changes_in_local_time():
    start, end = progress.month_window(dt.date(2026, 10, 1), BERLIN)
    assert start == dt.datetime(2026, 10, 1, tzinfo=BERLIN)
    assert end == dt.datetime(2026, 11, 1, tzinfo=BERLIN)
    # October loses its summer hour on the 25th: 31 days plus one hour.
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(
        days=31, hours=1
    )
    march_start, march_end = progress.month_window(dt.date(2026, 3, 1), BERLIN)
    assert march_end.astimezone(dt.UTC) - march_start.astimezone(
        dt.UTC
    ) == dt.timedelta(days=31, hours=-1)


def test_next_month_rolls_over_the_year():
    assert progress.next_month(dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)


def _nov(day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=BERLIN)


NOV = progress.month_window(dt.date(2026, 11, 1), BERLIN)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (_nov(17, 12), progress.Countdown("open", days=13)),
        (_nov(1, 0), progress.Countdown("open", days=29)),
        (_nov(29, 23, 59), progress.Countdown("open", days=1)),
        (_nov(30, 0), progress.Countdown("last_day", hours=24)),
        (_nov(30, 18, 30), progress.Countdown("last_day", hours=6)),
        (_nov(30, 23, 59, 59), progress.Countdown("last_day", hours=1)),
        (dt.datetime(2026, 12, 1, tzinfo=BERLIN), progress.Countdown("closed")),
        (dt.datetime(2026, 10, 31, 23, tzinfo=BERLIN), progress.Countdown("upcoming")),
    ],
)
def test_countdown_counts_days_after_today_then_hours_on_the_last_day(now, expected):
    assert progress.countdown(now, *NOV, BERLIN) == expected


def test_countdown_last_day_hours_follow_dst_changes():
    # A window ending on 25 October 2026, the day Berlin's clocks go back: 25 hours.
    start, end = progress.day_window(
        dt.date(2026, 10, 1), dt.date(2026, 10, 25), BERLIN
    )
    midnight = dt.datetime(2026, 10, 25, 0, tzinfo=BERLIN)
    assert progress.countdown(midnight, start, end, BERLIN) == progress.Countdown(
        "last_day", hours=25
    )
    # 29 March 2026 has 23 hours.
    start, end = progress.day_window(dt.date(2026, 3, 1), dt.date(2026, 3, 29), BERLIN)
    midnight = dt.datetime(2026, 3, 29, 0, tzinfo=BERLIN)
    assert progress.countdown(midnight, start, end, BERLIN) == progress.Countdown(
        "last_day", hours=23
    )


def test_countdown_in_utc_instants_uses_local_dates():
    # 23:30 UTC on 29 Nov is 00:30 on the 30th in Berlin: the last day.
    now = dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC)
    assert progress.countdown(now, *NOV, BERLIN) == progress.Countdown(
        "last_day", hours=24
    )


@pytest.mark.parametrize(
    ("amount", "goal", "expected"),
    [
        ("0", "5000", 0),
        ("1800", "5000", 36),
        ("4999.99", "5000", 99),
        ("5600", "5000", 112),
        ("10", "0", 0),
    ],
)
def test_percent_rounds_down_and_shows_overshoot(amount, goal, expected):
    assert progress.percent(D(amount), D(goal)) == expected


def test_fill_is_capped_between_zero_and_one():
    assert progress.fill(D("5600"), D("5000")) == 1
    assert progress.fill(D("1800"), D("5000")) == D("0.36")
    assert progress.fill(D("0"), D("5000")) == 0


def test_ticks_mark_zero_half_and_goal():
    assert progress.ticks(D("5000"), [D("1"), D("0"), D("0.5"), D("2")]) == [
        (D("0"), D("0.00")),
        (D("0.5"), D("2500.00")),
        (D("1"), D("5000.00")),
    ]
