"""Generation numbers in the shared cache, for copies kept in each process.

A process keeps a copy under a key that holds the current generation; bumping the
generation retires every process's copies at their next lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache, caches
from django.db import transaction

T = TypeVar("T")


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


def remember(generation: str, key: str, make: Callable[[], T], seconds: int) -> T:
    """`make()`, kept in this process's "local" cache until `generation` advances.

    A None answer is not kept. The local cache hands out a fresh copy on every
    get, so callers may change what they receive.
    """
    full = f"{key}:{current(generation)}"
    local = caches["local"]
    value: T | None = local.get(full)
    if value is None:
        value = make()
        if value is not None:
            local.set(full, value, seconds)
    return value
