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

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import transaction

T = TypeVar("T")


def _fresh() -> int:
    # Microseconds since the epoch: above any number reached by counting up.
    return time.time_ns() // 1000


class _Request:
    """What one request keeps: the numbers it has read, so that it reads each
    from the shared cache once (a new comment asks for the sites' and the
    pages' generations several times), and the two caches, looked up once
    (Django finds a cache through a thread- and task-local store, a dozen
    calls each time)."""

    __slots__ = ("local", "seen", "shared")

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}
        self.shared: BaseCache | None = None
        self.local: BaseCache | None = None


# None outside a request: commands, tasks and the live process always read.
_request: ContextVar[_Request | None] = ContextVar("generations", default=None)


def begin_request(**_kwargs: object) -> None:
    """Receiver of request_started: a request's first lookup of each key reads."""
    _request.set(_Request())


def end_request(**_kwargs: object) -> None:
    """Receiver of request_finished."""
    _request.set(None)


def _shared(request: _Request | None) -> BaseCache:
    if request is None:
        return caches["default"]
    if request.shared is None:
        request.shared = caches["default"]
    return request.shared


def local_cache() -> BaseCache:
    """This process's "local" cache (looked up once per request)."""
    request = _request.get()
    if request is None:
        return caches["local"]
    if request.local is None:
        request.local = caches["local"]
    return request.local


def _available(shared: BaseCache) -> bool:
    # core/cache.is_available for a backend in hand.
    return bool(getattr(shared, "available", True))


def current(key: str) -> int | None:
    """The generation under `key`; None while the shared cache is away.

    Within a request, the number the request read first: a request works
    from the copies of one moment, as if it had run a little earlier, and its
    own advances are seen at once.
    """
    request = _request.get()
    if request is not None and key in request.seen:
        return request.seen[key]
    shared = _shared(request)
    value = shared.get(key)
    if value is None and _available(shared):
        fresh = _fresh()
        value = fresh if shared.add(key, fresh, None) else shared.get(key)
    if value is None or not _available(shared):
        return None
    if request is not None:
        request.seen[key] = int(value)
    return int(value)


def advance(key: str) -> bool:
    """Retire the copies made under the current generation.

    Returns False when the shared cache is away; the write is then replayed
    (as a deletion, see core/cache.py) once it is back.
    """
    request = _request.get()
    if request is not None:
        request.seen.pop(key, None)
    shared = _shared(request)
    try:
        shared.incr(key)
    except ValueError:
        shared.set(key, _fresh(), None)
    return _available(shared)


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
    local = local_cache()
    value: T | None = local.get(full)
    if value is None:
        value = make()
        if value is not None:
            local.set(full, value, seconds)
    return value
