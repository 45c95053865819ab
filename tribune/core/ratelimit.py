"""The one rate limiter: fixed-window counters in Django's cache (decision 0007).

Works on every cache the site runs with: Redis, the shared file cache without
Redis (core/filecache.py, whose `add` and `incr` are atomic across processes)
and the test's local-memory cache.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress

from django.core.cache import caches

from tribune.core import clock

# IPv6 hands a whole /64 to one customer, so one client can use 2**64 addresses.
IPV6_PREFIX = 64


# The longest address text kept in a per-process memory of parsed addresses (here
# and in discussion.identity): an IPv6 address with an IPv4 tail and a zone. A
# client can send any text; longer ones are parsed each time, never kept.
LONGEST_KEPT_ADDRESS = 64


def client_key(ip: str | None) -> str | None:
    """The network a client address is counted under: the IPv4 address or its IPv6 /64.

    None for a missing or malformed address.
    """
    if not ip:
        return None
    if len(ip) <= LONGEST_KEPT_ADDRESS:
        return _network(ip)
    return _network.__wrapped__(ip)


# The addresses of the last clients: a POST asks twice (its limits), and a
# client posts and reads again soon after (ipaddress parses in Python).
@functools.lru_cache(maxsize=1024)
def _network(ip: str) -> str | None:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


def _cache_key(scope: str, key: str, window: int) -> str:
    # Keys carry user text (addresses); a digest keeps them short and safe for
    # every backend.  The window number makes each window its own counter, so
    # an expiry race cannot carry counts into the next one.
    number = int(clock.now().timestamp()) // window
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{window}:{number}:{digest}"


def hit(*, scope: str, key: str | None, limit: int, window: int) -> bool:
    """Count one event for `key` in the current window; True while within `limit`.

    Side effect: the event is counted in the cache even when it is over the
    limit, so a client that keeps trying stays refused.  A None key (unknown
    client) and a limit of 0 or less (switched off) always allow.
    """
    if key is None or limit <= 0 or window <= 0:
        return True
    name = _cache_key(scope, key, window)
    cache = caches["default"]  # one lookup of Django's per-thread cache
    # Counting first: a busy client's window mostly exists already (one call
    # instead of a refused `add` and an `incr`; the file cache's refused `add`
    # writes and removes a draft file).
    try:
        count = cache.incr(name)
    except ValueError:  # the window's first event (or its counter expired)
        count = 1 if cache.add(name, 1, timeout=window + 1) else cache.incr(name)
    return bool(count <= limit)
