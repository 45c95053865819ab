"""Writes about a donor rather than money: a monthly gift that ended.

The money columns of the ledger are never touched here.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from tribune.funding.models import Donation


@transaction.atomic
def end_monthly_gift(
    *,
    provider: str,
    customer_ref: str,
    ended_at: dt.datetime,
    subscription_ref: str = "",
) -> int:
    """Mark the payments of one monthly gift as ended (stopped by the donor at
    the provider, or by the provider).

    With `subscription_ref`, only that gift's payments: one customer may run
    several monthly gifts. Payments recorded before the ledger kept the
    subscription (no payment carries this one) are matched by customer.
    No money row is added or changed; payments already marked keep their date.
    Returns how many payments were marked.
    """
    if not customer_ref:
        return 0
    gifts = Donation.objects.filter(
        provider=provider, customer_ref=customer_ref, recurring=True
    )
    if subscription_ref:
        named = gifts.filter(subscription_ref=subscription_ref)
        gifts = named if named.exists() else gifts.filter(subscription_ref="")
    return gifts.filter(monthly_ended_at__isnull=True).update(monthly_ended_at=ended_at)
