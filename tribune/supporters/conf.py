"""Supporter badge tunables with their defaults; operators override them in settings."""

from __future__ import annotations

from django.conf import settings


def monthly_grace_days() -> int:
    # A monthly gift's badge outlives its last payment by a month and a few days
    # of a late or retried charge.
    return int(getattr(settings, "SUPPORTERS_MONTHLY_GRACE_DAYS", 35))


def cache_seconds() -> int:
    # How long the list of supporters is kept when an invalidation is missed
    # (another process's memory cache); ledger writes drop it at once.
    return int(getattr(settings, "SUPPORTERS_CACHE_SECONDS", 300))
