"""Who supports the newsroom, read from the funding ledger for the discussion's badges.

The whole list (one entry per donor address) is built with one query and kept in
each process's memory under a generation number in the shared cache (as
core/sites.py keeps the sites); every ledger write and badge choice advances the
generation (funding's `supporters_changed` signal). A comment page then costs one
small cache read and no query: the list is never unpickled per request
(bench/supporters_index.py measured 36 ms for that at 10,000 donors).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection
from typing import Any

from django.db.models import (
    DecimalField,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Lower

from tribune.core import clock, generations
from tribune.discussion import badges
from tribune.funding.models import Adjustment, BadgeChoice, Donation
from tribune.supporters import conf

GENERATION = "supporters:generation"
# An index entry: [whether the badge is shown, when the monthly badge ends (a
# timestamp, 0 for none)].
Entry = tuple[bool, float]


def _kept_gifts() -> QuerySet[Donation]:
    """Succeeded payments not wholly taken back (refunded or a lost dispute)."""
    taken_back = (
        Adjustment.objects.filter(
            provider=OuterRef("provider"),
            transaction_id=OuterRef("transaction_id"),
            kind__in=[Adjustment.Kind.REFUND, Adjustment.Kind.DISPUTE_LOST],
        )
        .values("transaction_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money: DecimalField[Any, Any] = DecimalField(max_digits=14, decimal_places=2)
    return (
        Donation.objects.filter(payment_status=Donation.Status.SUCCEEDED)
        .exclude(email="")
        .annotate(
            taken_back=Coalesce(
                Subquery(taken_back, output_field=money), 0, output_field=money
            )
        )
        .filter(taken_back__lt=F("original_amount"))
    )


def _build_index() -> dict[str, Entry]:
    grace = dt.timedelta(days=conf.monthly_grace_days())
    hidden = set(
        BadgeChoice.objects.filter(shown=False).values_list("email", flat=True)
    )
    rows = (
        _kept_gifts()
        .annotate(address=Lower("email"))
        .values("address")
        .annotate(last_monthly=Max("received_at", filter=Q(recurring=True)))
    )
    index: dict[str, Entry] = {}
    for row in rows:
        last = row["last_monthly"]
        until = (last + grace).timestamp() if last else 0.0
        index[row["address"]] = (row["address"] not in hidden, until)
    return index


# (generation, when built on the monotonic clock, the list) of this process.
_kept: tuple[int, float, dict[str, Entry]] | None = None


def supporter_index() -> dict[str, Entry]:
    """Every donor address (lower-cased) with its badge state.

    Built again when the generation moved, after SUPPORTERS_CACHE_SECONDS, or on
    every call while the shared cache is away (no generation to trust).
    """
    global _kept
    number = generations.current(GENERATION)  # read before building: no race
    kept, now = _kept, time.monotonic()
    fresh = kept is not None and now - kept[1] < conf.cache_seconds()
    if kept and fresh and number is not None and kept[0] == number:
        return kept[2]
    index = _build_index()
    if number is not None:
        _kept = (number, now, index)
    return index


def forget_supporters() -> None:
    """Retire every process's list: their next page reads the ledger again."""
    global _kept
    _kept = None
    generations.advance(GENERATION)


def on_supporters_changed(**_kwargs: Any) -> None:
    """Receiver of funding's `supporters_changed`."""
    forget_supporters()


def badge_of(entry: Entry, now: dt.datetime) -> str:
    """MONTHLY while the monthly gift's grace lasts, else SUPPORTER."""
    return badges.MONTHLY if entry[1] > now.timestamp() else badges.SUPPORTER


class LedgerSupporters:
    """The discussion's `SupporterLookup`, answered from the ledger."""

    def shown_badges(self, emails: Collection[str]) -> dict[str, str]:
        index = supporter_index()
        now = clock.now()
        return {
            email: badge_of(index[email], now)
            for email in emails
            if email in index and index[email][0]
        }

    def is_supporter(self, email: str) -> bool:
        return email.lower() in supporter_index()
