"""A cache alias over the shared cache that drops writes repeating what it wrote.

Wagtail writes every image rendition it looks up back to its "renditions" cache, on
every page view, hit or not: four writes per article page, each a new file and a
rename(2) in the file cache or a round trip to Redis, for a value that is already
there. This backend reads, deletes and writes through to the target alias, except a
`set` of the same value under the same key that this process wrote less than
`OPTIONS["SKIP_SECONDS"]` ago.

Reads always go to the target, so a value is never stale: if another process
deleted or replaced the entry meanwhile, the worst case is a miss (and Wagtail's
query) until the skip window ends, never an old value.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

MAX_REMEMBERED = 10_000


class RepeatSkippingCache(BaseCache):
    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self._target = str(options.get("TARGET", "default"))
        self._skip_seconds = float(options.get("SKIP_SECONDS", 60))
        # key -> (when written, the pickled value), oldest first.
        self._written: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def _shared(self) -> BaseCache:
        return caches[self._target]

    def _forget(self, keys: list[Any]) -> None:
        with self._lock:
            for key in keys:
                self._written.pop(str(key), None)

    def _is_repeat(self, key: str, pickled: bytes, now: float) -> bool:
        with self._lock:
            seen = self._written.get(key)
            if seen is not None and seen[1] == pickled:
                return now - seen[0] < self._skip_seconds
            self._written[key] = (now, pickled)
            self._written.move_to_end(key)
            while len(self._written) > MAX_REMEMBERED:
                self._written.popitem(last=False)
            return False

    def set(
        self,
        key: Any,
        value: Any,
        timeout: Any = DEFAULT_TIMEOUT,
        version: Any = None,
    ) -> None:
        pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if self._is_repeat(f"{key}:{version}", pickled, time.monotonic()):
            return
        try:
            self._shared.set(key, value, timeout, version)
        except Exception:
            self._forget([f"{key}:{version}"])  # not written: write next time
            raise

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._shared.get(key, default, version)

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self._shared.get_many(keys, version)

    def add(
        self,
        key: Any,
        value: Any,
        timeout: Any = DEFAULT_TIMEOUT,
        version: Any = None,
    ) -> bool:
        self._forget([f"{key}:{version}"])
        return self._shared.add(key, value, timeout, version)

    def touch(
        self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._shared.touch(key, timeout, version)

    def delete(self, key: Any, version: Any = None) -> bool:
        self._forget([f"{key}:{version}"])
        return bool(self._shared.delete(key, version))

    def delete_many(self, keys: Any, version: Any = None) -> None:
        keys = list(keys)
        self._forget([f"{key}:{version}" for key in keys])
        self._shared.delete_many(keys, version)

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._shared.has_key(key, version)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        self._forget([f"{key}:{version}"])
        return self._shared.incr(key, delta, version)

    def clear(self) -> None:
        with self._lock:
            self._written.clear()
        self._shared.clear()
