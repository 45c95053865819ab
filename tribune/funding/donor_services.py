"""Writes about a donor rather than money: a monthly gift that ended, the
choice to show a supporter badge.

The money columns of the ledger are never touched here.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from tribune.core import clock, pagecache
from tribune.funding import signals
from tribune.funding.models import BadgeChoice, Donation


def _badges_changed() -> None:
    # The badges are on cached comment pages of every report.
    pagecache.invalidate_all()
    signals.supporters_changed.send_robust(sender=BadgeChoice)


@transaction.atomic
def choose_badge(
    *, email: str, shown: bool, chosen_at: dt.datetime | None = None
) -> BadgeChoice | None:
    """Record whether the donor's comments show a supporter badge.

    `chosen_at` is when the donor chose (the donate page's time, carried by
    the provider); an older choice than the one recorded changes nothing.
    None for an empty address. Drops the cached pages and supporters on commit.
    """
    address = email.strip().lower()
    if not address:
        return None
    when = chosen_at or clock.now()
    # A concurrent first choice may insert the row first: get_or_create reads it.
    choice, created = BadgeChoice.objects.get_or_create(
        email=address, defaults={"shown": shown, "chosen_at": when}
    )
    changed = created
    if not created:
        choice = BadgeChoice.objects.select_for_update().get(pk=choice.pk)
        if when < choice.chosen_at:
            return choice
        changed = choice.shown != shown
        choice.shown, choice.chosen_at = shown, when
        choice.save(update_fields=["shown", "chosen_at"])
    if changed:
        transaction.on_commit(_badges_changed, robust=True)
    return choice


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
