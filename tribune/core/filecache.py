"""The shared cache without Redis: Django's file cache, made cheap for small counters.

Django's FileBasedCache lists the whole folder on every `set` to decide whether to
cull, and its `incr` is a read followed by a rewrite through a temporary file, so
two processes counting at once lose counts. Here culling runs on one `set` in
CULL_EVERY, and `incr` rewrites the file in place under an exclusive lock, keeping
the entry's expiry (docs/decisions/0004-cache-without-redis.md).
"""

from __future__ import annotations

import pickle
import time
import zlib
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

CULL_EVERY = 500


class SharedFileCache(FileBasedCache):
    _sets_since_cull = CULL_EVERY  # the first set of a process checks

    def _cull(self) -> None:
        self._sets_since_cull += 1
        if self._sets_since_cull >= CULL_EVERY:
            self._sets_since_cull = 0
            super()._cull()  # type: ignore[misc]

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        fname = self._key_to_file(key, version)  # type: ignore[attr-defined]
        try:
            with open(fname, "r+b") as f:
                locks.lock(f, locks.LOCK_EX)
                try:
                    try:
                        # The folder is the cache's own, as in FileBasedCache.
                        expiry = pickle.load(f)  # noqa: S301
                        value = pickle.loads(zlib.decompress(f.read()))  # noqa: S301
                    except (EOFError, zlib.error, pickle.UnpicklingError):
                        expiry, value = 0, None
                    if value is None or (expiry is not None and expiry < time.time()):
                        raise ValueError(f"Key '{key}' not found")
                    value += delta
                    f.seek(0)
                    f.write(pickle.dumps(expiry, self.pickle_protocol))
                    f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
                    f.truncate()
                    return value
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            raise ValueError(f"Key '{key}' not found") from None
