"""Generation numbers in the shared cache, for copies kept in each process.

A process keeps a copy under a key that holds the current generation; bumping the
generation retires every process's copies at their next lookup.

A generation that is missing (the cache was emptied, or its key was deleted
because a write to it was dropped while the cache was away) starts again from a
new value taken from the clock, never from a number a copy may already carry.
While the shared cache is away there is no generation to trust, so nothing is
kept (core/cache.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache, caches
from django.db import transaction

from tribune.core.cache import is_available

T = TypeVar("T")


def _fresh() -> int:
    # Microseconds since the epoch: above any number reached by counting up.
    return time.time_ns() // 1000


# The numbers one request has read, so that it reads each from the shared
# cache once (a new comment asks for the sites' and the pages' generations
# several times). None outside a request: commands, tasks and the live process
# always read.
_seen: ContextVar[dict[str, int] | None] = ContextVar("generations", default=None)


def begin_request(**_kwargs: object) -> None:
    """Receiver of request_started: a request's first lookup of each key reads."""
    _seen.set({})


def end_request(**_kwargs: object) -> None:
    """Receiver of request_finished."""
    _seen.set(None)


def current(key: str) -> int | None:
    """The generation under `key`; None while the shared cache is away.

    Within a request, the number the request read first: a request works
    from the copies of one moment, as if it had run a little earlier, and its
    own advances are seen at once.
    """
    seen = _seen.get()
    if seen is not None and key in seen:
        return seen[key]
    value = cache.get(key)
    if value is None and is_available():
        fresh = _fresh()
        value = fresh if cache.add(key, fresh, None) else cache.get(key)
    if value is None or not is_available():
        return None
    if seen is not None:
        seen[key] = int(value)
    return int(value)


def advance(key: str) -> bool:
    """Retire the copies made under the current generation.

    Returns False when the shared cache is away; the write is then replayed
    (as a deletion, see core/cache.py) once it is back.
    """
    seen = _seen.get()
    if seen is not None:
        seen.pop(key, None)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _fresh(), None)
    return is_available()


def bump(key: str) -> None:
    """Advance now, and again once the change is committed: a copy made from the
    database between the two would otherwise outlive the change.

    The second advance runs after the commit and never fails the request.
    """
    advance(key)
    transaction.on_commit(lambda: advance(key), robust=True)


def remember(generation: str, key: str, make: Callable[[], T], seconds: int) -> T:
    """`make()`, kept in this process's "local" cache until `generation` advances.

    A None answer is not kept. The local cache hands out a fresh copy of
    anything that could be changed, so callers may change what they receive.
    """
    number = current(generation)
    if number is None:
        return make()
    full = f"{key}:{number}"
    local = caches["local"]
    value: T | None = local.get(full)
    if value is None:
        value = make()
        if value is not None:
            local.set(full, value, seconds)
    return value
