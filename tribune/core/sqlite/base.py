"""Django's SQLite backend, with writers queueing on a lock file instead of polling.

SQLite lets one connection write at a time. A second writer's `BEGIN IMMEDIATE`
fails with "busy" and SQLite retries it after sleeps that grow to 100 ms, so under
concurrent posts most of the time went to sleeping while the database sat idle
(docs/benchmarks.md). Here every write transaction first takes an exclusive
`flock` on `<database>.writelock`, which the kernel hands to the next waiter the
moment it is released, across threads and processes alike. An in-memory database
has no lock file and behaves as before.
"""

from __future__ import annotations

import fcntl
from typing import IO, Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock: IO[bytes] | None = None
    _holds_write_lock = False

    def _lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or name.startswith("file:"):
            return None
        return name + ".writelock"

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        path = self._lock_path()
        if path is not None and self._write_lock is None:
            self._write_lock = open(path, "ab")  # noqa: SIM115 - kept with the connection
        return connection

    def _start_transaction_under_autocommit(self) -> None:
        if self._write_lock is not None and not self._holds_write_lock:
            fcntl.flock(self._write_lock, fcntl.LOCK_EX)
            self._holds_write_lock = True
        try:
            if self.queries_logged or self.execute_wrappers:
                super()._start_transaction_under_autocommit()  # type: ignore[misc]
            else:
                # Django's sends one fixed statement through a cursor of its
                # own (CursorWrapper, the placeholder conversion); set_autocommit
                # has just checked the connection.
                mode = self.transaction_mode  # type: ignore[attr-defined]
                with self.wrap_database_errors:
                    self.connection.execute(f"BEGIN {mode}" if mode else "BEGIN")
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._holds_write_lock and self._write_lock is not None:
            self._holds_write_lock = False
            fcntl.flock(self._write_lock, fcntl.LOCK_UN)

    def _commit(self) -> None:
        try:
            if self.queries_logged or self.connection is None:
                super()._commit()  # type: ignore[misc]
            else:
                # Django's wraps it in debug_transaction, which only logs.
                with self.wrap_database_errors:
                    self.connection.commit()
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_write_lock()
            if self._write_lock is not None:
                self._write_lock.close()
                self._write_lock = None
