"""Generation numbers in the shared cache, for copies kept in each process.

A process keeps a copy under a key that holds the current generation; bumping the
generation retires every process's copies at their next lookup.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction


def current(key: str) -> int:
    return int(cache.get(key, 0))


def advance(key: str) -> None:
    """Retire the copies made under the current generation."""
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)


def bump(key: str) -> None:
    """Advance now, and again once the change is committed: a copy made from the
    database between the two would otherwise outlive the change."""
    advance(key)
    transaction.on_commit(lambda: advance(key))
