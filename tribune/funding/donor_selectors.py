"""Reads for one donor: their gifts, a receipt, a yearly statement; failed cards.

The self-service page (/me/) lists gifts through `list_gifts_for_email`; the
receipt and statement pages read `get_receipt` and `get_statement`. Figures are
exact Decimals from the ledger; refunds come from its reversing entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tribune.funding import progress, receipts
from tribune.funding.models import Adjustment, BadgeChoice, Donation, Provider
from tribune.funding.selectors import readable_adjustments, readable_donations, site_tz

# How a monthly gift is changed or stopped, by provider.
MANAGE_STRIPE_PORTAL = "stripe_portal"
MANAGE_AT_PROVIDER = {Provider.PAYPAL: "paypal", Provider.PATREON: "patreon"}
# A gift's state (progress.payment_state) as its donor reads it.
STATUS_LABELS = {
    "pending": _("Pending"),
    "succeeded": _("Paid"),
    "partially_refunded": _("Partly refunded"),
    "refunded": _("Refunded"),
    "disputed": _("Disputed"),
    "failed": _("Failed"),
}


@dataclass(frozen=True)
class Gift:
    """One ledger payment as its donor sees it."""

    id: int
    received_at: dt.datetime
    amount: Decimal
    currency: str
    method: str
    provider: str
    status: str
    refunded: Decimal
    recurring: bool
    covered_fee: Decimal | None
    transaction_id: str
    public_name: str
    email: str
    receipt_url: str
    manage: str
    # When the provider ended the monthly gift, or None while it runs.
    ended_at: dt.datetime | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def kept(self) -> Decimal:
        """What the site keeps of the gift after refunds (in its currency)."""
        if self.status in {Donation.Status.FAILED, Donation.Status.PENDING}:
            return Decimal(0)
        return max(self.amount - self.refunded, Decimal(0))


def _manage(donation: Donation) -> str:
    if not donation.recurring:
        return ""
    if donation.provider == Provider.STRIPE:
        return MANAGE_STRIPE_PORTAL if donation.customer_ref else ""
    return MANAGE_AT_PROVIDER.get(Provider(donation.provider), "")


def _reductions(
    donations: Iterable[Donation],
) -> dict[tuple[str, str], list[progress.Reduction]]:
    found: dict[tuple[str, str], list[progress.Reduction]] = {}
    rows = list(donations)
    for provider, txn, kind, amount in (
        readable_adjustments()
        .filter(transaction_id__in=[d.transaction_id for d in rows])
        .values_list("provider", "transaction_id", "kind", "amount")
    ):
        found.setdefault((provider, txn), []).append(
            progress.Reduction(txn, kind, amount)
        )
    return found


def _gifts(donations: list[Donation]) -> list[Gift]:
    """Gifts with their state and refunds. One query for the reversing entries."""
    reductions = _reductions(donations)
    gifts = []
    for donation in donations:
        entries = reductions.get((donation.provider, donation.transaction_id), [])
        refunded = sum(
            (e.amount for e in entries if e.kind == Adjustment.Kind.REFUND),
            Decimal(0),
        )
        gifts.append(
            Gift(
                id=donation.pk,
                received_at=donation.received_at,
                amount=donation.original_amount,
                currency=donation.original_currency,
                method=donation.get_method_display(),
                provider=donation.provider,
                status=progress.payment_state(
                    donation.payment_status, donation.original_amount, entries
                ),
                refunded=refunded,
                recurring=donation.recurring,
                covered_fee=donation.covered_fee,
                transaction_id=donation.transaction_id,
                public_name=donation.public_name,
                email=donation.email,
                receipt_url=receipts.receipt_url(donation),
                manage="" if donation.monthly_ended_at else _manage(donation),
                ended_at=donation.monthly_ended_at,
            )
        )
    return gifts


def _of_email(email: str) -> QuerySet[Donation]:
    return readable_donations().filter(email__iexact=email.strip())


def list_gifts_for_email(email: str) -> list[Gift]:
    """Every ledger payment made with this address, newest first. Two queries."""
    if not email.strip():
        return []
    return _gifts(list(_of_email(email).order_by("-received_at", "-id")))


def get_receipt(donation_id: int) -> Gift | None:
    """One gift for its receipt page, or None. Two queries."""
    donation = readable_donations().filter(pk=donation_id).first()
    return _gifts([donation])[0] if donation is not None else None


@dataclass(frozen=True)
class Total:
    currency: str
    given: Decimal
    refunded: Decimal
    kept: Decimal


@dataclass(frozen=True)
class Statement:
    """Every gift of one address in one calendar year, with exact totals."""

    email: str
    year: int
    gifts: list[Gift]
    totals: list[Total]


def get_statement(email: str, year: int) -> Statement:
    """The year's confirmed gifts (site time zone) and totals per currency."""
    tz = site_tz()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    donations = list(
        _of_email(email)
        .filter(
            received_at__gte=start,
            received_at__lt=end,
            payment_status=Donation.Status.SUCCEEDED,
        )
        .order_by("received_at", "id")
    )
    gifts = _gifts(donations) if donations else []
    sums: dict[str, list[Decimal]] = {}
    for gift in gifts:
        given, refunded = sums.setdefault(gift.currency, [Decimal(0), Decimal(0)])
        sums[gift.currency] = [given + gift.amount, refunded + gift.refunded]
    totals = [
        Total(currency, given, refunded, given - refunded)
        for currency, (given, refunded) in sorted(sums.items())
    ]
    return Statement(email=email, year=year, gifts=gifts, totals=totals)


def years_with_gifts(email: str) -> list[int]:
    """The calendar years (site time zone) in which the address gave, newest first."""
    tz = site_tz()
    return sorted(
        {
            at.astimezone(tz).year
            for at in _of_email(email)
            .filter(payment_status=Donation.Status.SUCCEEDED)
            .values_list("received_at", flat=True)
        },
        reverse=True,
    )


def list_failed_monthly(*, since: dt.datetime) -> QuerySet[Donation]:
    """Declined monthly charges since `since`, newest first, for the dashboard."""
    return (
        readable_donations()
        .filter(
            recurring=True,
            payment_status=Donation.Status.FAILED,
            received_at__gte=since,
        )
        .order_by("-received_at", "-id")
    )


def list_ended_monthly(*, since: dt.datetime, limit: int = 50) -> list[Donation]:
    """Monthly gifts the provider ended since `since`, newest first: the last
    payment of each (provider, customer), for the dashboard."""
    seen: set[tuple[str, str]] = set()
    rows: list[Donation] = []
    for donation in (
        readable_donations()
        .filter(recurring=True, monthly_ended_at__gte=since)
        .order_by("-monthly_ended_at", "-received_at", "-id")[: limit * 10]
    ):
        key = (donation.provider, donation.customer_ref)
        if key not in seen and len(rows) < limit:
            seen.add(key)
            rows.append(donation)
    return rows


def customer_of(donation_id: int) -> str:
    """The provider's customer id of a gift (for Stripe's portal), or ""."""
    return (
        Donation.objects.filter(pk=donation_id)
        .values_list("customer_ref", flat=True)
        .first()
        or ""
    )


def get_badge_choice(email: str) -> BadgeChoice | None:
    """The donor's stored badge choice, or None where they never chose."""
    return BadgeChoice.objects.filter(email=email.strip().lower()).first()


def badge_shown(email: str) -> bool:
    """Whether the donor's comments show a supporter badge (shown unless hidden)."""
    address = email.strip().lower()
    return not BadgeChoice.objects.filter(email=address, shown=False).exists()
