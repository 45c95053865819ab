"""Who supports the newsroom, read from the funding ledger for the discussion's badges.

The whole list (one row per donor address, a few bytes each) is built with one
query and cached; every ledger write and badge choice drops it (funding's
`supporters_changed` signal), so a comment page asks no query for badges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.core.cache import cache
from django.db.models import Max, Q
from django.db.models.functions import Lower

from tribune.core import clock
from tribune.discussion import badges
from tribune.funding.models import BadgeChoice, Donation
from tribune.supporters import conf

CACHE_KEY = "supporters:index:v1"
# An index entry: [whether the badge is shown, when the monthly badge ends (a
# timestamp, 0 for none)].
Entry = tuple[bool, float]


def _build_index() -> dict[str, Entry]:
    grace = dt.timedelta(days=conf.monthly_grace_days())
    hidden = set(
        BadgeChoice.objects.filter(shown=False).values_list("email", flat=True)
    )
    rows = (
        Donation.objects.filter(payment_status=Donation.Status.SUCCEEDED)
        .exclude(email="")
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


def supporter_index() -> dict[str, Entry]:
    """Every donor address (lower-cased) with its badge state, from the cache."""
    found: dict[str, Any] | None = cache.get(CACHE_KEY)
    if found is None:
        found = _build_index()
        cache.set(CACHE_KEY, found, conf.cache_seconds())
    return found


def forget_supporters() -> None:
    """Drop the cached list: the next page reads the ledger again."""
    cache.delete(CACHE_KEY)


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
