"""The shared cache without Redis: Django's file cache, made cheap for small counters.

Django's FileBasedCache lists the whole folder on every `set` to decide whether to
cull, its `incr` is a read followed by a rewrite through a temporary file, so
two processes counting at once lose counts, and its `add` is a look followed by a
`set`, so two processes can both add. Here culling runs on one `set` in
CULL_EVERY, `incr` rewrites the file in place under an exclusive lock, keeping
the entry's expiry, and `add` publishes a finished file with link(2), which
fails when the name exists (docs/decisions/0004-cache-without-redis.md).
"""

from __future__ import annotations

import os
import pickle
import threading
import time
import zlib
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
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

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        fname = self._key_to_file(key, version)  # type: ignore[attr-defined]
        draft = f"{fname}.{os.getpid()}.{threading.get_ident()}.add"
        try:
            with open(draft, "wb") as f:
                self._write_content(f, timeout, value)  # type: ignore[attr-defined]
        except FileNotFoundError:  # the folder was removed (clear)
            self._createdir()  # type: ignore[attr-defined]
            return bool(super().add(key, value, timeout, version))
        try:
            for _ in range(2):
                try:
                    os.link(draft, fname)  # atomic, and never half-written
                except FileExistsError:
                    added = self._replace_if_expired(fname, timeout, value)
                    if added is not None:
                        return added
                    continue  # removed meanwhile: link again
                except OSError:  # a file system without hard links
                    return bool(super().add(key, value, timeout, version))
                self._cull()
                return True
            return False
        finally:
            os.remove(draft)

    def _replace_if_expired(self, fname: str, timeout: Any, value: Any) -> bool | None:
        """Overwrite an expired entry in place; None if the file is gone."""
        try:
            with open(fname, "r+b") as f:
                locks.lock(f, locks.LOCK_EX)
                try:
                    try:
                        expiry = pickle.load(f)  # noqa: S301 - our own folder
                    except (EOFError, pickle.UnpicklingError):
                        expiry = 0
                    if expiry is None or expiry >= time.time():
                        return False
                    f.seek(0)
                    self._write_content(f, timeout, value)  # type: ignore[attr-defined]
                    f.truncate()
                    return True
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            return None
