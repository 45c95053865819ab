"""Reads for funding: the active campaign, its progress (cached), the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from tribune.core import clock
from tribune.funding import conf, money, progress
from tribune.funding.models import (
    Adjustment,
    Campaign,
    CampaignMonth,
    Donation,
    SupporterMessage,
)

BAR_CACHE_KEY = "funding:bar:v1"
_NO_CAMPAIGN = "none"


@dataclass(frozen=True)
class GoalProgress:
    """The numbers behind the goal bar; formatting happens at display time."""

    campaign_id: int
    title: str
    monthly: bool
    currency: str
    goal: Decimal
    raised: Decimal
    start: dt.datetime
    end: dt.datetime
    month: dt.date | None
    donors: int


def site_tz() -> ZoneInfo:
    """The site's time zone, in which months begin and end."""
    return ZoneInfo(timezone.get_default_timezone_name())


def get_active_campaign(*, today: dt.date | None = None) -> Campaign | None:
    """The campaign the bar shows: the active one that started most recently.

    Falls back to an active campaign that has not started yet.
    """
    today = today or clock.today()
    active = Campaign.objects.filter(is_active=True)
    return (
        active.filter(starts_on__lte=today).order_by("-starts_on", "-id").first()
        or active.order_by("starts_on", "id").first()
    )


def get_month_goal(*, campaign: Campaign, month: dt.date) -> Decimal:
    """The month's own goal, or the campaign's default when it has none yet."""
    row = CampaignMonth.objects.filter(campaign=campaign, month=month).first()
    return row.goal if row is not None else campaign.goal


def window_of(
    campaign: Campaign, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime, dt.date | None]:
    """The campaign's current [start, end) and, when monthly, the month."""
    tz = site_tz()
    if campaign.window == Campaign.Window.MONTHLY:
        month = progress.month_of(now, tz)
        month = max(month, campaign.starts_on.replace(day=1))
        start, end = progress.month_window(month, tz)
        if campaign.ends_on is not None:
            _, last = progress.day_window(campaign.ends_on, campaign.ends_on, tz)
            end = min(end, last)
        return start, end, month
    assert campaign.ends_on is not None  # noqa: S101 - a DB constraint guarantees it
    start, end = progress.day_window(campaign.starts_on, campaign.ends_on, tz)
    return start, end, None


# Rows written before the ledger's size constraints, too large to read back on
# SQLite, are left out of every figure rather than breaking the pages.
_READABLE_DONATION = (
    Q(amount__lt=money.COLUMN_CEILING)
    & Q(original_amount__lt=money.COLUMN_CEILING)
    & Q(exchange_rate__lt=Decimal("1e10"))
    & (Q(fee__isnull=True) | Q(fee__lt=money.COLUMN_CEILING))
    & (Q(net__isnull=True) | Q(net__lt=money.COLUMN_CEILING))
)
_READABLE_ADJUSTMENT = Q(amount__lt=money.COLUMN_CEILING)


def readable_donations() -> QuerySet[Donation]:
    """Every ledger payment whose figures the database can give back."""
    return Donation.objects.filter(_READABLE_DONATION)


def readable_adjustments() -> QuerySet[Adjustment]:
    """Every reversing entry whose amount the database can give back."""
    return Adjustment.objects.filter(_READABLE_ADJUSTMENT)


def window_donations(
    *, currency: str, start: dt.datetime, end: dt.datetime, month: dt.date | None
) -> QuerySet[Donation]:
    """Ledger payments that fall in a window, in the campaign's currency."""
    rows = readable_donations().filter(currency=currency)
    if month is not None:
        return rows.filter(month=month, received_at__lt=end)
    return rows.filter(received_at__gte=start, received_at__lt=end)


def compute_raised(donations: QuerySet[Donation]) -> tuple[Decimal, int]:
    """The rule applied to the rows: (raised, counted donations). Two queries."""
    payments = [
        progress.Payment(f"{provider}:{txn}", status, amount, rate)
        for provider, txn, status, amount, rate in donations.values_list(
            "provider", "transaction_id", "payment_status", "amount", "exchange_rate"
        )
    ]
    reductions = [
        progress.Reduction(f"{provider}:{txn}", kind, amount)
        for provider, txn, kind, amount in readable_adjustments()
        .filter(transaction_id__in=donations.values("transaction_id"))
        .values_list("provider", "transaction_id", "kind", "amount")
    ]
    succeeded = sum(1 for p in payments if p.status == progress.SUCCEEDED)
    return progress.raised(payments, reductions), succeeded


def compute_progress(*, campaign: Campaign, now: dt.datetime) -> GoalProgress:
    """Progress of the campaign's current window straight from the ledger (uncached)."""
    start, end, month = window_of(campaign, now)
    goal = (
        get_month_goal(campaign=campaign, month=month)
        if month is not None
        else campaign.goal
    )
    raised, donors = compute_raised(
        window_donations(currency=campaign.currency, start=start, end=end, month=month)
    )
    return GoalProgress(
        campaign_id=campaign.pk,
        title=campaign.title,
        monthly=month is not None,
        currency=campaign.currency,
        goal=goal,
        raised=raised,
        start=start,
        end=end,
        month=month,
        donors=donors,
    )


def get_bar_progress() -> GoalProgress | None:
    """The active campaign's progress from the cache, computed on a miss.

    Cached for at most `FUNDING_CACHE_SECONDS`; every ledger write clears it.
    A hit costs no SQL query.
    """
    cached = cache.get(BAR_CACHE_KEY)
    now = clock.now()
    if cached == _NO_CAMPAIGN:
        return None
    if isinstance(cached, GoalProgress) and cached.start <= now < cached.end:
        return cached
    campaign = get_active_campaign()
    result = compute_progress(campaign=campaign, now=now) if campaign else None
    cache.set(BAR_CACHE_KEY, result or _NO_CAMPAIGN, conf.cache_seconds())
    return result


def forget_bar_progress() -> None:
    """Drop the cached bar so the next page shows the ledger's figure."""
    cache.delete(BAR_CACHE_KEY)


def list_wall_messages(*, limit: int = 100) -> QuerySet[SupporterMessage]:
    """Approved supporters' names and messages, newest first.

    Only donors who gave a name: the wall is of readers who chose to be named,
    so a message left without one is not shown under "Anonymous".
    """
    return (
        SupporterMessage.objects.filter(status=SupporterMessage.Status.APPROVED)
        .exclude(public_name="")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class WindowReport:
    """A campaign window for the editors' dashboard."""

    label: dt.date | None
    goal: Decimal
    raised: Decimal
    pace: Decimal
    donors: int
    new_monthly: int
    reversals: int
    reversed_amount: Decimal
    daily: list[Decimal]
    days: int


_ReportRow = tuple[str, str, str, Decimal, Decimal, dt.datetime, bool, str]


def _report_window(
    campaign: Campaign, month: dt.date | None, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime, Decimal]:
    """The window's [start, end) and its goal: a given month, or the current one."""
    if month is not None:
        start, end = progress.month_window(month, site_tz())
        return start, end, get_month_goal(campaign=campaign, month=month)
    start, end, _ = window_of(campaign, now)
    return start, end, campaign.goal


def _payments_by_day(
    rows: list[_ReportRow], first_day: dt.date
) -> dict[int, list[progress.Payment]]:
    tz = site_tz()
    by_day: dict[int, list[progress.Payment]] = {}
    for provider, txn, status, amount, rate, received, _, _ in rows:
        index = (received.astimezone(tz).date() - first_day).days
        by_day.setdefault(index, []).append(
            progress.Payment(f"{provider}:{txn}", status, amount, rate)
        )
    return by_day


def _new_monthly(rows: list[_ReportRow], start: dt.datetime) -> int:
    """Monthly donors of the window who gave no monthly gift before it."""
    monthly_emails = {
        r[7].lower() for r in rows if r[6] and r[7] and r[2] == progress.SUCCEEDED
    }
    returning = {
        email.lower()
        for email in Donation.objects.filter(
            recurring=True, received_at__lt=start, email__in=monthly_emails
        ).values_list("email", flat=True)
    }
    return len(monthly_emails - returning)


def _pace(
    goal: Decimal, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> Decimal:
    length = int((end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds())
    gone = int((now - start).total_seconds())
    share = Decimal(max(0, min(gone, length))) / Decimal(max(length, 1))
    return (goal * share).quantize(Decimal("0.01"))


def get_window_report(
    *, campaign: Campaign, month: dt.date | None, now: dt.datetime
) -> WindowReport:
    """Progress, pace and daily figures of a month or fixed window. Four queries."""
    tz = site_tz()
    start, end, goal = _report_window(campaign, month, now)
    rows: list[_ReportRow] = list(
        window_donations(
            currency=campaign.currency, start=start, end=end, month=month
        ).values_list(
            "provider", "transaction_id", "payment_status", "amount",
            "exchange_rate", "received_at", "recurring", "email",
        )
    )  # fmt: skip
    reductions = [
        progress.Reduction(f"{p}:{t}", kind, amount)
        for p, t, kind, amount in readable_adjustments()
        .filter(transaction_id__in=[row[1] for row in rows])
        .values_list("provider", "transaction_id", "kind", "amount")
    ]
    first_day = start.astimezone(tz).date()
    days = (end.astimezone(tz).date() - first_day).days or 1
    by_day = _payments_by_day(rows, first_day)
    elapsed_days = min(days, max(0, (now.astimezone(tz).date() - first_day).days + 1))
    counted = {f"{r[0]}:{r[1]}" for r in rows if r[2] == progress.SUCCEEDED}
    taken = [
        r for r in reductions
        if r.transaction_id in counted and r.kind in progress.REDUCING_KINDS
    ]  # fmt: skip
    return WindowReport(
        label=month,
        goal=goal,
        raised=progress.raised([p for day in by_day.values() for p in day], reductions),
        pace=_pace(goal, start, end, now),
        donors=len(counted),
        new_monthly=_new_monthly(rows, start),
        reversals=len(taken),
        reversed_amount=sum((r.amount for r in taken), Decimal(0)),
        daily=[
            progress.raised(by_day.get(i, []), reductions) for i in range(elapsed_days)
        ],
        days=days,
    )


LEDGER_STATUSES = [
    "pending", "succeeded", "partially_refunded", "refunded", "disputed", "failed",
]  # fmt: skip


def list_ledger(
    *,
    month: dt.date | None = None,
    provider: str = "",
    method: str = "",
    payment_status: str = "",
    query: str = "",
) -> QuerySet[Donation]:
    """Ledger rows, newest first, filtered as the editor asked."""
    rows = readable_donations().order_by("-received_at", "-id")
    if month is not None:
        rows = rows.filter(month=month)
    if provider:
        rows = rows.filter(provider=provider)
    if method:
        rows = rows.filter(method=method)
    if payment_status:
        rows = rows.filter(payment_status=payment_status)
    if query:
        rows = rows.filter(
            Q(transaction_id__icontains=query)
            | Q(email__icontains=query)
            | Q(public_name__icontains=query)
        )
    return rows


def ledger_states(donations: list[Donation]) -> dict[int, str]:
    """Each row's display status from its adjustment entries. One query."""
    entries: dict[tuple[str, str], list[progress.Reduction]] = {}
    for provider, txn, kind, amount in (
        readable_adjustments()
        .filter(transaction_id__in=[d.transaction_id for d in donations])
        .values_list("provider", "transaction_id", "kind", "amount")
    ):
        entries.setdefault((provider, txn), []).append(
            progress.Reduction(txn, kind, amount)
        )
    return {
        d.pk: progress.payment_state(
            d.payment_status,
            d.original_amount,
            entries.get((d.provider, d.transaction_id), []),
        )
        for d in donations
    }
