"""The per-process cache ("local"), bounded by bytes rather than by entries.

Django's LocMemCache counts entries, and a whole page weighs as much as thousands
of small entries; this backend counts the bytes of the pickled values and drops
the least recently used when `OPTIONS["MAX_BYTES"]` would be exceeded. As with
LocMemCache, every instance with the same LOCATION shares one store.

Values are pickled, so a caller that changes what it got back changes only its own
copy; but a value that cannot change (bytes, strings, numbers, None, and tuples or
frozensets of these) is kept as it is and handed out itself: a stored page weighs
about 170 KB, and unpickling it cost a page-cache hit a fifth of its time.
"""

from __future__ import annotations

import pickle
import sys
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

from tribune.core.lru import ByteLRU

# When the operator sets nothing: enough for some hundreds of pages per process.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

_stores: dict[str, ByteLRU] = {}
_SCALARS = (int, float, bool, type(None))


class _Kept:
    """An immutable value stored as itself rather than pickled."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _immutable_size(value: Any) -> int | None:
    """The bytes an immutable value holds, or None if any part of it could
    change (exact types only: a subclass may carry mutable attributes)."""
    kind = type(value)
    if kind is bytes:
        return len(value)
    if kind is str:
        return sys.getsizeof(value)
    if kind in _SCALARS:
        return 32
    if kind is tuple or kind is frozenset:
        total = 8 * len(value) + 56
        for item in value:
            size = _immutable_size(item)
            if size is None:
                return None
            total += size
        return total
    return None


_locks: dict[str, threading.Lock] = {}
_registry = threading.Lock()


class MemoryCache(BaseCache):
    pickle_protocol = pickle.HIGHEST_PROTOCOL

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", DEFAULT_MAX_BYTES))
        with _registry:
            self._store = _stores.setdefault(name, ByteLRU(max_bytes))
            self._lock = _locks.setdefault(name, threading.Lock())
        # Settings may change (tests do): the latest configuration wins.
        self._store.max_bytes = max_bytes

    @property
    def total_bytes(self) -> int:
        """What the stored entries count for against the bound."""
        return self._store.total

    def lru_keys(self) -> list[str]:
        """The stored keys (with prefix and version), least recently used first."""
        with self._lock:
            return self._store.lru_keys()

    def validate_key(self, key: str) -> None:
        # Django checks every character for memcached's sake; keys here are
        # dictionary keys of this process, where any string is a valid one.
        pass

    def _entry(self, value: Any) -> tuple[Any, int | None]:
        """What the store keeps for `value`, and its size when not bytes."""
        size = _immutable_size(value)
        if size is not None:
            return _Kept(value), size
        return pickle.dumps(value, self.pickle_protocol), None

    @staticmethod
    def _value(entry: Any) -> Any:
        if type(entry) is _Kept:
            return entry.value
        return pickle.loads(entry)  # noqa: S301 - our own pickles

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        entry, size = self._entry(value)
        with self._lock:
            if self._store.get(key, time.time()) is not None:
                return False
            return self._store.put(key, entry, self.get_backend_timeout(timeout), size)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            entry = self._store.get(key, time.time())
        return default if entry is None else self._value(entry)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        entry, size = self._entry(value)
        with self._lock:
            self._store.put(key, entry, self.get_backend_timeout(timeout), size)

    def touch(
        self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._store.touch(
                key, self.get_backend_timeout(timeout), time.time()
            )

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            entry = self._store.get(key, time.time())
            if entry is None:
                raise ValueError(f"Key '{key}' not found")
            value = self._value(entry) + delta
            deadline = self._store.deadline(key)
            entry, size = self._entry(value)
            self._store.put(key, entry, deadline, size)
        return value

    def has_key(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._store.get(key, time.time()) is not None

    def delete(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._store.pop(key)

    def clear(self) -> None:
        with self._lock:
            self._store.clear()
