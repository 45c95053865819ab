"""The demo's reader funding: a monthly campaign and a plausible ledger for recent months."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from wagtail.models import Site

from tribune.core import clock
from tribune.funding import progress, selectors, services
from tribune.funding.models import Campaign, Donation, FundingSettings, SupporterMessage

GOAL = Decimal("5000")
# Roughly what the bar shows by the current day: 1,800 of 5,000.
THIS_MONTH_TOTAL = Decimal("1800")
PAST_MONTH_TOTALS = [Decimal("5350"), Decimal("4620")]
AMOUNTS = [
    Decimal(a)
    for a in ("5", "10", "10", "15", "20", "25", "25", "30", "50", "75", "100")
]
WALL = [
    (
        "Hanna from Millbrook",
        "You were the only ones at the council meeting. Thank you.",
    ),
    ("A retired teacher", "For the flood coverage, and for answering my questions."),
    ("Jo & Sam", "Monthly, for as long as you keep checking the numbers."),
    ("", "Keep the river gauges coming."),
]


@dataclass
class DemoFunding:
    campaign: Campaign
    donations: int


def _month_donations(
    month: dt.date, total: Decimal, until: dt.datetime, rng: random.Random
) -> list[tuple[dt.datetime, Decimal]]:
    """Gifts adding up to `total`, spread over the month's days up to `until`."""
    tz = selectors.site_tz()
    start, end = progress.month_window(month, tz)
    end = min(end, until)
    span = int((end - start).total_seconds())
    rows: list[tuple[dt.datetime, Decimal]] = []
    left = total
    while left > 0:
        amount = min(rng.choice(AMOUNTS), left)
        left -= amount
        rows.append((start + dt.timedelta(seconds=rng.randrange(max(span, 1))), amount))
    return sorted(rows)


def _wall(current: bool, n: int) -> dict[str, Any]:
    if not current or n >= len(WALL):
        return {}
    name, message = WALL[n]
    return {"public_name": name, "message": message, "show_on_wall": True}


@transaction.atomic
def load() -> DemoFunding:
    """Create the campaign and its ledger once; running again changes nothing."""
    now = clock.now()
    tz = selectors.site_tz()
    this_month = progress.month_of(now, tz)
    months = [this_month]
    for _ in PAST_MONTH_TOTALS:
        months.append(
            progress.month_of(
                progress.month_window(months[-1], tz)[0] - dt.timedelta(days=1), tz
            )
        )
    campaign = Campaign.objects.filter(title="Keep the Ledger independent").first()
    if campaign is None:
        campaign = services.create_campaign(
            title="Keep the Ledger independent",
            goal=GOAL,
            starts_on=months[-1],
            currency="USD",
        )
    count = 0
    for month, total in zip(
        months, [THIS_MONTH_TOTAL, *PAST_MONTH_TOTALS], strict=True
    ):
        rng = random.Random(month.toordinal())
        for n, (received_at, amount) in enumerate(
            _month_donations(month, total, now, rng)
        ):
            provider = rng.choice(["stripe", "stripe", "stripe", "paypal", "manual"])
            services.record_donation(
                provider=provider,
                transaction_id=f"demo-{month:%Y%m}-{n:03d}",
                amount=amount,
                currency="USD",
                received_at=received_at,
                method={"stripe": "card", "paypal": "paypal"}.get(
                    provider, "bank_transfer"
                ),
                recurring=rng.random() < 0.3,
                fee=(amount * Decimal("0.029") + Decimal("0.30")).quantize(
                    Decimal("0.01")
                )
                if provider == "stripe"
                else None,
                email=f"reader{n}@example.org",
                **_wall(month == this_month, n),
            )
            count += 1
    # One refunded gift last month, as happens.
    refunded = Donation.objects.filter(
        transaction_id=f"demo-{months[1]:%Y%m}-004"
    ).first()
    if refunded is not None:
        services.record_adjustment(
            provider=refunded.provider,
            reference="demo-refund-1",
            transaction_id=refunded.transaction_id,
            kind="refund",
            amount=refunded.original_amount,
            currency=refunded.original_currency,
            occurred_at=refunded.received_at + dt.timedelta(days=2),
        )
    for message in SupporterMessage.objects.filter(
        status="pending", donation__transaction_id__startswith="demo-"
    ):
        services.moderate_message(message=message, approve=True)
    _settings()
    selectors.forget_bar_progress()
    return DemoFunding(campaign=campaign, donations=count)


def _settings() -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    funding = FundingSettings.for_site(site)
    if funding.bank_instructions:
        return
    funding.intro = "<p>The Valley Ledger has no owner to answer to and no paywall. Readers pay for the reporting, a few dollars at a time.</p>"
    funding.bank_instructions = (
        "<p><b>Bank transfer:</b> Valley Ledger Cooperative, account 0000 1111 2222 (demo details), "
        "reference <i>SUPPORT</i>.</p><p>Cheques to the newsroom's postal address are welcome too.</p>"
    )
    funding.save()
