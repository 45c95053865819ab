"""Writes for a person erasing their data: their subscriptions, kept for undo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from tribune.core import generations
from tribune.mailing.addresses import normalize_address
from tribune.subscriptions import selectors, services
from tribune.subscriptions.models import Subscription

_FIELDS = ("scope", "thread_id", "comment_id", "delivery", "user_id")


@transaction.atomic
def erase_subscriber(*, email: str) -> list[dict[str, Any]]:
    """Delete every subscription, digest and digest item of the address.

    Returns the subscriptions as plain JSON, for `restore_subscriber`.
    """
    held = [
        {
            **{name: getattr(s, name) for name in _FIELDS},
            "created_at": s.created_at.isoformat(),
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
        }
        for s in selectors.list_subscriptions(email)
    ]
    services.erase_subscriptions(email=email)
    return held


@transaction.atomic
def restore_subscriber(*, email: str, held: list[dict[str, Any]]) -> int:
    """Put back the subscriptions `erase_subscriber` deleted; returns how many.

    Subscriptions whose report or comment is gone, or that exist again, are
    skipped.
    """
    address = normalize_address(email)
    rows = [
        Subscription(
            email=address,
            **{name: row[name] for name in _FIELDS},
            created_at=dt.datetime.fromisoformat(row["created_at"]),
            confirmed_at=(
                dt.datetime.fromisoformat(row["confirmed_at"])
                if row["confirmed_at"]
                else None
            ),
        )
        for row in held
    ]
    made = Subscription.objects.bulk_create(rows, ignore_conflicts=True)
    generations.bump(selectors.GENERATION)
    return len(made)
