"""SQLite writers queue on the lock file instead of failing or polling.

The database here is a file of its own, so this runs whatever the suite's
database is.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from django.db.utils import ConnectionHandler

from tribune.config import env
from tribune.core import testing


@pytest.fixture
def databases(tmp_path, django_db_blocker) -> Iterator[ConnectionHandler]:
    django_db_blocker.unblock()  # not the suite's database: a file of its own
    settings = env._sqlite(str(tmp_path / "db.sqlite3"))
    # SQLite alone would give up on a busy database after 50 ms; the lock waits.
    settings["OPTIONS"]["timeout"] = 0.05
    handler = ConnectionHandler({"default": settings})
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE item (name TEXT)")
    handler["default"].close()
    yield handler
    django_db_blocker.restore()


def _write(databases, name: str, hold: float, events: list[str], fail=False) -> None:
    # What transaction.atomic does for an outermost block, on this thread's connection.
    db = databases["default"]
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        events.append(f"{name} in")
        with db.cursor() as cursor:
            cursor.execute("INSERT INTO item VALUES (%s)", [name])
        time.sleep(hold)
        if fail:
            raise RuntimeError
        # Before the commit: the commit hands the lock over, and the next
        # writer may get in before this thread runs again.
        events.append(f"{name} commits")
        db.commit()
        events.append(f"{name} out")
    except RuntimeError:
        db.rollback()
    finally:
        db.set_autocommit(True)
        db.close()


def _names(databases) -> set[str]:
    with databases["default"].cursor() as cursor:
        cursor.execute("SELECT name FROM item")
        return {row[0] for row in cursor.fetchall()}


def test_a_second_writer_waits_for_the_first_and_both_commit(databases) -> None:
    events: list[str] = []
    first = threading.Thread(target=_write, args=(databases, "first", 0.5, events))
    first.start()
    while "first in" not in events:
        time.sleep(0.01)
    second = threading.Thread(target=_write, args=(databases, "second", 0, events))
    second.start()
    first.join(10)
    second.join(10)
    # The second writer got in only once the first committed (and both did).
    assert events[:2] == ["first in", "first commits"]
    assert sorted(events[2:4]) == ["first out", "second in"]
    assert events[4:] == ["second commits", "second out"]
    assert _names(databases) == {"first", "second"}


def test_a_rolled_back_transaction_lets_the_next_writer_in(databases) -> None:
    events: list[str] = []
    _write(databases, "undone", 0, events, fail=True)
    other = threading.Thread(target=_write, args=(databases, "next", 0, events))
    other.start()
    other.join(5)
    assert events == ["undone in", "next in", "next commits", "next out"]
    assert _names(databases) == {"next"}


def test_begin_and_commit_skip_djangos_cursor_unless_queries_are_watched(
    databases, monkeypatch
) -> None:
    seen = testing.statements_through_cursor(monkeypatch)
    db = databases["default"]
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    assert db.connection.in_transaction and db._holds_write_lock
    assert seen == []
    db.commit()
    db.set_autocommit(True)
    assert not db.connection.in_transaction and not db._holds_write_lock
    wrapped: list[str] = []

    def wrapper(execute, sql, params, many, context):
        wrapped.append(sql)
        return execute(sql, params, many, context)

    with db.execute_wrapper(wrapper):
        db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        db.commit()
        db.set_autocommit(True)
    assert wrapped == ["BEGIN IMMEDIATE"]  # env._sqlite sets the mode
    db.close()
