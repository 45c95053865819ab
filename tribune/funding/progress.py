"""Goal progress by the ledger rule, campaign windows, the countdown: plain values."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from tribune.funding.money import CENT, convert

SUCCEEDED = "succeeded"
# Adjustment kinds that take money back; an open or won dispute does not.
REDUCING_KINDS = frozenset({"refund", "dispute_lost"})

RULE = (
    "Raised = succeeded gross amounts received within the window, minus refunds "
    "and lost disputes of those payments; pending and failed payments never count."
)


@dataclass(frozen=True)
class Payment:
    """One ledger payment as the rule sees it (amount in the campaign currency)."""

    transaction_id: str
    status: str
    amount: Decimal
    exchange_rate: Decimal = Decimal(1)


@dataclass(frozen=True)
class Reduction:
    """One adjustment entry, in the payment's original currency."""

    transaction_id: str
    kind: str
    amount: Decimal


def raised(payments: Iterable[Payment], adjustments: Iterable[Reduction]) -> Decimal:
    """Succeeded gross minus refunds and lost disputes of those same payments.

    A payment never counts below zero, however many reversals name it.
    """
    counted = {p.transaction_id: p for p in payments if p.status == SUCCEEDED}
    taken: dict[str, Decimal] = {}
    for entry in adjustments:
        payment = counted.get(entry.transaction_id)
        if payment is None or entry.kind not in REDUCING_KINDS:
            continue
        taken[entry.transaction_id] = taken.get(
            entry.transaction_id, Decimal(0)
        ) + convert(entry.amount, payment.exchange_rate)
    total = Decimal(0)
    for key, payment in counted.items():
        total += payment.amount - min(taken.get(key, Decimal(0)), payment.amount)
    return total.quantize(CENT)


def payment_state(
    status: str, amount: Decimal, kinds_amounts: Sequence[Reduction]
) -> str:
    """The ledger's display status: pending, succeeded, refunded, partially_refunded,
    disputed or failed, from the payment status and its adjustment entries."""
    if status != SUCCEEDED:
        return status
    kinds = [entry.kind for entry in kinds_amounts]
    opened = kinds.count("dispute_opened")
    closed = kinds.count("dispute_won") + kinds.count("dispute_lost")
    if opened > closed:
        return "disputed"
    back = sum(
        (e.amount for e in kinds_amounts if e.kind in REDUCING_KINDS), Decimal(0)
    )
    if back >= amount:
        return "refunded"
    if back > 0:
        return "partially_refunded"
    return SUCCEEDED


def month_of(instant: dt.datetime, tz: ZoneInfo) -> dt.date:
    """The first day of the month the instant falls in, in the site's time zone."""
    if instant.tzinfo is None:
        raise ValueError("aware datetimes only")
    local = instant.astimezone(tz)
    return dt.date(local.year, local.month, 1)


def next_month(month: dt.date) -> dt.date:
    """The first day of the following month."""
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def day_window(
    first: dt.date, last: dt.date, tz: ZoneInfo
) -> tuple[dt.datetime, dt.datetime]:
    """Aware [start, end) from the first day's midnight to the day after the last."""
    start = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start, end


def month_window(month: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """Aware [start, end) bounds of a calendar month in the site's time zone."""
    first = month.replace(day=1)
    return day_window(first, next_month(first) - dt.timedelta(days=1), tz)


@dataclass(frozen=True)
class Countdown:
    """Where the window stands: state is upcoming, open, last_day or closed."""

    state: str
    days: int = 0
    hours: int = 0


def countdown(
    now: dt.datetime, start: dt.datetime, end: dt.datetime, tz: ZoneInfo
) -> Countdown:
    """Whole days left after today until the window's last day, or hours on that day.

    On 17 November a window ending with November has 13 days left (18th to 30th);
    on the 30th it is the last day and the hours until midnight are shown.
    """
    if now < start:
        return Countdown("upcoming")
    if now >= end:
        return Countdown("closed")
    today = now.astimezone(tz).date()
    last_day = (end - dt.timedelta(microseconds=1)).astimezone(tz).date()
    days = (last_day - today).days
    if days >= 1:
        return Countdown("open", days=days)
    # Subtract in UTC: within one zone Python subtracts wall-clock times.
    left = end.astimezone(dt.UTC) - now.astimezone(dt.UTC)
    hours = max(1, math.ceil(left.total_seconds() / 3600))
    return Countdown("last_day", hours=hours)


def percent(amount: Decimal, goal: Decimal) -> int:
    """Whole percent of the goal reached, rounded down, honest above 100 (112 %)."""
    if goal <= 0:
        return 0
    return int((amount * 100 / goal).to_integral_value(rounding=ROUND_DOWN))


def fill(amount: Decimal, goal: Decimal) -> Decimal:
    """How much of the bar to fill, between 0 and 1."""
    if goal <= 0 or amount <= 0:
        return Decimal(0)
    return min(Decimal(1), (amount / goal).quantize(Decimal("0.0001")))


def ticks(goal: Decimal, fractions: Sequence[Decimal]) -> list[tuple[Decimal, Decimal]]:
    """(position 0..1, amount) for each scale tick, e.g. 0, half and the goal."""
    return [
        (fraction, (goal * fraction).quantize(CENT))
        for fraction in sorted(set(fractions))
        if 0 <= fraction <= 1
    ]
