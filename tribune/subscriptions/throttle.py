"""Per-client limit on subscription requests, counted in Django's cache."""

from __future__ import annotations

from django.core.cache import cache

from tribune.subscriptions import conf


def allow_request(*, ip: str | None) -> bool:
    """Count one subscribe or link request from a client address; False over the limit.

    The per-address rate guard keeps one stranger from being mailed more than
    hourly; this keeps one client from making the site mail many strangers.
    Counts in a fixed one-hour window; an unknown address is not limited.
    """
    if not ip:
        return True
    key = f"subscriptions:rate:ip:{ip}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=3600)
        count = 1
    return count <= conf.requests_per_ip_per_hour()
