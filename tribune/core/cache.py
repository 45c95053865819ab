"""The shared cache on Redis, kept answering while Redis is away.

Redis holds copies and counters, never the record, so an unreachable Redis must
not fail a request. `ResilientRedisCache` is Django's RedisCache with every call
guarded: while Redis is away reads are misses, writes are dropped, and `incr`
and `add` count in this process so rate limits still hold. After a failure the
cache does not call Redis again for `RETRY_SECONDS`, so requests are not held by
connection attempts; the first call after that pause tries again.

A key whose write was dropped may hold a stale value in Redis (an invalidation
that did not happen), so it is deleted when Redis answers again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Errors that mean "Redis is not there", as opposed to a bad command.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Dropped writes remembered for deletion on recovery; beyond this the rest are
# forgotten (their copies expire with their own timeouts).
MAX_PENDING = 10_000


def is_available(alias: str = "default") -> bool:
    """Whether the cache `alias` answered its last call (always True for caches
    that cannot be away, such as the file or local-memory cache)."""
    backend = caches[alias]
    return bool(getattr(backend, "available", True))


class _State:
    """What one process knows about one Redis server."""

    def __init__(self, name: str) -> None:
        self.lock = threading.Lock()
        self.down_until: float | None = None  # None while Redis answers
        self.pending: set[str] = set()  # keys whose write was dropped
        # Counts kept while Redis is away (rate limits); forgotten on recovery.
        self.fallback = LocMemCache(f"tribune-fallback:{name}", {})


_STATES: dict[str, _State] = {}
_STATES_LOCK = threading.Lock()


def _state_for(server: str) -> _State:
    with _STATES_LOCK:
        return _STATES.setdefault(server, _State(server))


class ResilientRedisCache(RedisCache):
    """RedisCache that answers misses and drops writes while Redis is away.

    OPTIONS, besides redis-py's connection options: RETRY_SECONDS, the pause
    after a failure before Redis is tried again (default 2).
    """

    _cache: Any  # Django's RedisCacheClient (made on first use)

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 2.0))
        # Fail fast: a missing server must not hold a request for long.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        # Django makes one backend per thread; what is known about the server is
        # kept once per process.
        self._state = _state_for(str(server))
        self._fallback = self._state.fallback

    @property
    def available(self) -> bool:
        return self._state.down_until is None

    def _call(
        self,
        operation: Callable[[], T],
        default: T,
        written: Iterable[str] = (),
    ) -> T:
        """`operation()`, or `default` when Redis is away or does not answer.

        `written` names the (full) keys the operation writes, to delete once
        Redis is back if the write is dropped.
        """
        down_until = self._state.down_until
        if down_until is not None and (
            time.monotonic() < down_until or not self._reconnect()
        ):
            self._remember(written)
            return default
        try:
            return operation()
        except UNREACHABLE as exc:
            self._fail(exc)
            self._remember(written)
            return default

    def _fail(self, exc: BaseException) -> None:
        with self._state.lock:
            first = self._state.down_until is None
            self._state.down_until = time.monotonic() + self.retry_seconds
        if first:  # one line per outage, not one per request
            logger.warning(
                "cache unreachable, serving without it (%s: %s)",
                type(exc).__name__,
                exc,
            )

    def _remember(self, keys: Iterable[str]) -> None:
        with self._state.lock:
            for key in keys:
                if len(self._state.pending) >= MAX_PENDING:
                    break
                self._state.pending.add(key)

    def _reconnect(self) -> bool:
        """Try Redis again; once it answers, delete the keys written meanwhile
        (before anything is read from it)."""
        with self._state.lock:
            pending = list(self._state.pending)
            self._state.pending.clear()
            self._state.down_until = time.monotonic() + self.retry_seconds
        try:
            if pending:
                self._cache.delete_many(pending)
            else:
                self._cache.get_client().ping()
        except UNREACHABLE:
            self._remember(pending)
            return False
        with self._state.lock:
            self._state.down_until = None
        self._fallback.clear()
        logger.warning(
            "cache reachable again; %d keys written meanwhile deleted", len(pending)
        )
        return True

    def _key(self, key: str, version: int | None) -> str:
        return self.make_and_validate_key(key, version=version)

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        full = self._key(key, version)
        missing = object()
        result = self._call(
            lambda: self._cache.add(full, value, self.get_backend_timeout(timeout)),
            missing,
            [full],
        )
        if result is missing:
            return self._fallback.add(full, value, timeout)
        return bool(result)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        full = self._key(key, version)
        return self._call(lambda: self._cache.get(full, default), default)

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        full = self._key(key, version)
        self._call(
            lambda: self._cache.set(full, value, self.get_backend_timeout(timeout)),
            None,
            [full],
        )

    def touch(
        self,
        key: str,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        full = self._key(key, version)
        return bool(
            self._call(
                lambda: self._cache.touch(full, self.get_backend_timeout(timeout)),
                False,
            )
        )

    def delete(self, key: str, version: int | None = None) -> bool:
        full = self._key(key, version)
        return bool(self._call(lambda: self._cache.delete(full), False, [full]))

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict:
        key_map = {self._key(key, version): key for key in keys}
        found: dict[str, Any] = self._call(
            lambda: self._cache.get_many(key_map.keys()), {}
        )
        return {key_map[k]: v for k, v in found.items()}

    def has_key(self, key: str, version: int | None = None) -> bool:
        full = self._key(key, version)
        return bool(self._call(lambda: self._cache.has_key(full), False))

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        full = self._key(key, version)
        missing = object()
        result: Any = self._call(lambda: self._cache.incr(full, delta), missing, [full])
        if result is missing:
            return self._fallback.incr(full, delta)  # ValueError when not counted yet
        return int(result)

    def set_many(
        self,
        data: dict[str, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[str]:
        if not data:
            return []
        safe = {self._key(key, version): value for key, value in data.items()}
        self._call(
            lambda: self._cache.set_many(safe, self.get_backend_timeout(timeout)),
            None,
            list(safe),
        )
        return []

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        safe = [self._key(key, version) for key in keys]
        if safe:
            self._call(lambda: self._cache.delete_many(safe), None, safe)

    def clear(self) -> None:
        self._fallback.clear()
        self._call(self._cache.clear, None)
