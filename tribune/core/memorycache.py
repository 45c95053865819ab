"""The per-process cache ("local"), bounded by bytes rather than by entries.

Django's LocMemCache counts entries, and a whole page weighs as much as thousands
of small entries; this backend counts the bytes of the pickled values and drops
the least recently used when `OPTIONS["MAX_BYTES"]` would be exceeded. As with
LocMemCache, every instance with the same LOCATION shares one store.
"""

from __future__ import annotations

import pickle
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

from tribune.core.lru import ByteLRU

# When the operator sets nothing: enough for some hundreds of pages per process.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

_stores: dict[str, ByteLRU] = {}
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

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        pickled = pickle.dumps(value, self.pickle_protocol)
        with self._lock:
            if self._store.get(key, time.time()) is not None:
                return False
            return self._store.put(key, pickled, self.get_backend_timeout(timeout))

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            pickled = self._store.get(key, time.time())
        return default if pickled is None else pickle.loads(pickled)  # noqa: S301 - our own pickles

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        pickled = pickle.dumps(value, self.pickle_protocol)
        with self._lock:
            self._store.put(key, pickled, self.get_backend_timeout(timeout))

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
            pickled = self._store.get(key, time.time())
            if pickled is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(pickled) + delta  # noqa: S301 - our own pickles
            deadline = self._store.deadline(key)
            self._store.put(key, pickle.dumps(value, self.pickle_protocol), deadline)
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
