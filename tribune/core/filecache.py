"""The shared cache without Redis: Django's file cache, made cheap for small counters.

Django's FileBasedCache lists the whole folder on every `set` to decide whether to
cull, its `incr` is a read followed by a rewrite through a temporary file, so
two processes counting at once lose counts, and its `add` is a look followed by a
`set`, so two processes can both add. Here culling runs on one `set` in
CULL_EVERY, `incr` rewrites the file in place under an exclusive lock, keeping
the entry's expiry, and `add` publishes a finished file with link(2), which
fails when the name exists (docs/decisions/0004-cache-without-redis.md).

`get`, `incr` and `add` work on file descriptors, one system call per step: a
POST makes about ten of these calls, and Python's buffered files cost two to
four times the calls (fstat, ioctl, lseek) for the same bytes
(docs/decisions/0040-post-shared-cache-and-write-lock.md).

The bytes stay those FileBasedCache reads, but cheaper to make and to read
(docs/decisions/0043-post-caches-and-generations.md): a small value is written as
a stored (uncompressed) zlib stream, which zlib.decompress reads like any other,
instead of paying deflate's set-up (zlib.compress clears a 64 KB table for a
counter of a few bytes); the expiry is read and written without a pickle stream
in the usual cases; and each process remembers the file of a key instead of
validating the key and hashing it on every call.
"""

from __future__ import annotations

import fcntl
import io
import os
import pickle
import struct
import threading
import time
import zlib
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

CULL_EVERY = 500
# An entry here is a few dozen bytes; a read shorter than this is the whole file.
_CHUNK = 65536
# An unnamed file in the folder (Linux), named with link(2) once written: no
# draft name to write and remove. None where the system has no such files.
_O_TMPFILE: int | None = getattr(os, "O_TMPFILE", None)

# Files of keys remembered per backend; past this many the memory starts over
# (rate-limit keys change every window).
MAX_PATHS = 4096
# A pickled value up to this long is stored rather than compressed: deflate
# cannot shrink it, and its set-up costs more than the rest of a `get`.
STORE_BELOW = 256
# A stored zlib stream: header (no dictionary, fastest level; a multiple of 31),
# then one final stored block, its length and the length's complement.
_STORED_HEAD = b"\x78\x01\x01"
_LENGTHS = struct.Struct("<HH")
# pickle.dumps(expiry, 5) for the two expiries a cache writes: None (kept until
# removed) and a float (a deadline): protocol, frame of 10 bytes, BINFLOAT, stop.
_NO_EXPIRY = pickle.dumps(None, 5)
_FLOAT_HEAD = b"\x80\x05\x95\x0a\x00\x00\x00\x00\x00\x00\x00G"
_FLOAT = struct.Struct(">d")
_FLOAT_END = len(_FLOAT_HEAD) + _FLOAT.size + 1


def _compress(data: bytes) -> bytes:
    """zlib.compress(data), or for a short `data` the same bytes as a stored
    stream (any zlib reader reads it)."""
    size = len(data)
    if size >= STORE_BELOW:
        return zlib.compress(data)
    checksum = zlib.adler32(data).to_bytes(4, "big")
    return _STORED_HEAD + _LENGTHS.pack(size, size ^ 0xFFFF) + data + checksum


def _pickled_expiry(expiry: Any, protocol: int) -> bytes:
    if protocol == 5:
        if expiry is None:
            return _NO_EXPIRY
        if type(expiry) is float:
            return _FLOAT_HEAD + _FLOAT.pack(expiry) + b"."
    return pickle.dumps(expiry, protocol)


def _read_all(fd: int) -> bytes:
    data = os.read(fd, _CHUNK)
    if len(data) < _CHUNK:  # a regular file reads short only at its end
        return data
    parts = [data]
    while data:
        data = os.read(fd, _CHUNK)
        parts.append(data)
    return b"".join(parts)


def _entry(data: bytes) -> tuple[Any, bytes]:
    """The expiry and the compressed value of a file's bytes; an empty or cut
    file has expiry 0 (expired), as in FileBasedCache._is_expired."""
    if data[:4] == _NO_EXPIRY:
        return None, data[4:]
    if data[:12] == _FLOAT_HEAD and len(data) >= _FLOAT_END and data[20] == 0x2E:
        return _FLOAT.unpack_from(data, 12)[0], data[_FLOAT_END:]
    stream = io.BytesIO(data)
    try:
        # The folder is the cache's own, as in FileBasedCache.
        expiry = pickle.load(stream)  # noqa: S301
    except (EOFError, pickle.UnpicklingError):
        return 0, b""
    return expiry, stream.read()


class SharedFileCache(FileBasedCache):
    _sets_since_cull = CULL_EVERY  # the first set of a process checks

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(location, params)
        # Django makes a backend per thread, so this needs no lock.
        self._paths: dict[tuple[Any, Any], str] = {}

    def _key_to_file(self, key: Any, version: Any = None) -> str:
        """FileBasedCache._key_to_file (key made and checked, md5 of it),
        remembered: a POST asks for the files of about ten keys, most of them
        the same every time."""
        paths = self._paths
        found = paths.get((key, version))
        if found is None:
            if len(paths) >= MAX_PATHS:
                paths.clear()
            found = super()._key_to_file(key, version)  # type: ignore[misc]
            paths[(key, version)] = found
        return found

    def _write_content(self, file: Any, timeout: Any, value: Any) -> None:
        file.write(self._content(timeout, value))

    def _cull(self) -> None:
        self._sets_since_cull += 1
        if self._sets_since_cull >= CULL_EVERY:
            self._sets_since_cull = 0
            super()._cull()  # type: ignore[misc]

    def _content(self, timeout: Any, value: Any) -> bytes:
        # The bytes FileBasedCache._write_content writes, in one piece.
        return self._pack(self.get_backend_timeout(timeout), value)

    def _pack(self, expiry: Any, value: Any) -> bytes:
        protocol = self.pickle_protocol
        return _pickled_expiry(expiry, protocol) + _compress(
            pickle.dumps(value, protocol)
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        """FileBasedCache.get (an expired or empty file is removed and missed)
        in three system calls: open, read, close."""
        fname = self._key_to_file(key, version)
        try:
            fd = os.open(fname, os.O_RDONLY)
        except FileNotFoundError:
            return default
        try:
            data = _read_all(fd)
        finally:
            os.close(fd)
        expiry, body = _entry(data)
        if expiry is not None and expiry < time.time():
            self._delete(fname)  # type: ignore[attr-defined]
            return default
        return pickle.loads(zlib.decompress(body))  # noqa: S301 - our own folder

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        fname = self._key_to_file(key, version)
        try:
            fd = os.open(fname, os.O_RDWR)
        except FileNotFoundError:
            raise ValueError(f"Key '{key}' not found") from None
        try:
            # Held until the close below, which releases it.
            fcntl.flock(fd, fcntl.LOCK_EX)
            data = _read_all(fd)
            expiry, body = _entry(data)
            try:
                value = pickle.loads(zlib.decompress(body)) if body else None  # noqa: S301
            except (EOFError, zlib.error, pickle.UnpicklingError):
                value = None
            if value is None or (expiry is not None and expiry < time.time()):
                raise ValueError(f"Key '{key}' not found")
            value += delta
            new = self._pack(expiry, value)
            os.pwrite(fd, new, 0)
            if len(new) < len(data):
                os.ftruncate(fd, len(new))
            return value
        finally:
            os.close(fd)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        fname = self._key_to_file(key, version)
        content = self._content(timeout, value)
        if _O_TMPFILE is not None:
            try:
                fd = os.open(self._dir, _O_TMPFILE | os.O_WRONLY, 0o666)  # type: ignore[attr-defined]
            except FileNotFoundError:  # the folder was removed (clear)
                self._createdir()  # type: ignore[attr-defined]
                return bool(super().add(key, value, timeout, version))
            except OSError:  # no unnamed files on this file system
                return self._add_through_draft(fname, key, value, timeout, version)
            try:
                os.write(fd, content)
                return self._publish(
                    f"/proc/self/fd/{fd}", fname, key, value, timeout, version, fd
                )
            finally:
                os.close(fd)
        return self._add_through_draft(fname, key, value, timeout, version)

    def _add_through_draft(
        self, fname: str, key: Any, value: Any, timeout: Any, version: Any
    ) -> bool:
        draft = f"{fname}.{os.getpid()}.{threading.get_ident()}.add"
        try:
            with open(draft, "wb") as f:
                f.write(self._content(timeout, value))
        except FileNotFoundError:  # the folder was removed (clear)
            self._createdir()  # type: ignore[attr-defined]
            return bool(super().add(key, value, timeout, version))
        try:
            return self._publish(draft, fname, key, value, timeout, version)
        finally:
            os.remove(draft)

    def _publish(
        self,
        source: str,
        fname: str,
        key: Any,
        value: Any,
        timeout: Any,
        version: Any,
        fd: int | None = None,
    ) -> bool:
        """Link the finished file `source` as `fname`, unless a live entry is there.

        With `fd`, `source` is /proc/self/fd/<fd>, which link(2) would not
        follow: a directory descriptor makes Python call linkat(2) with
        AT_SYMLINK_FOLLOW, and `fname` being absolute, linkat ignores it.
        """
        for _ in range(2):
            try:
                # Atomic, and never half-written.
                if fd is None:
                    os.link(source, fname)
                else:
                    os.link(source, fname, dst_dir_fd=fd, follow_symlinks=True)
            except FileExistsError:
                added = self._replace_if_expired(fname, timeout, value)
                if added is not None:
                    return added
                continue  # removed meanwhile: link again
            except OSError:  # a file system without hard links, or no /proc
                return bool(super().add(key, value, timeout, version))
            self._cull()
            return True
        return False

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
                    self._write_content(f, timeout, value)
                    f.truncate()
                    return True
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            return None
