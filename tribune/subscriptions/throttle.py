"""Per-client limit on subscription requests, counted by the core rate limiter."""

from __future__ import annotations

from tribune.core import ratelimit
from tribune.subscriptions import conf


def allow_request(*, ip: str | None) -> bool:
    """Count one subscribe or link request from a client address; False over the limit.

    The per-address rate guard keeps one stranger from being mailed more than
    hourly; this keeps one client (an IPv4 address or an IPv6 /64) from making
    the site mail many strangers.  Counts in a fixed one-hour window; an
    unknown address is not limited.
    """
    return ratelimit.hit(
        scope="subscriptions.request.ip",
        key=ratelimit.client_key(ip),
        limit=conf.requests_per_ip_per_hour(),
        window=3600,
    )
