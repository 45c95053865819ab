"""Signals the discussion sends so other apps can react; it imports no receiver."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from tribune.discussion.models import Comment

logger = logging.getLogger(__name__)

# Sent after the transaction commits when a comment becomes visible to readers:
# posted approved, or approved later by a moderator. Arguments: `comment`, and
# `count` (the thread's visible comments after this one) when the sender knows it.
comment_visible = Signal()

# Sent inside the transaction that makes a comment visible, beside
# comment_visible: receivers write rows that must commit or roll back with the
# comment (the live app's event: an outbox row, no second transaction) and do
# nothing outside the database. Arguments as comment_visible's. A receiver
# called with `prepare=True` (prepare_in_transaction, before the transaction,
# the comment without its id) does its reading then and returns the call that
# writes, or None when it will write nothing.
comment_shown = Signal()

# Sent after the transaction commits when a reader posted a comment and asked
# to be notified. Arguments: `comment`, `notify` ("replies" or "all").
comment_posted = Signal()

# Sent after the transaction commits when a vote changed a visible comment's
# score. Argument: `comment` (with fresh counters).
comment_scored = Signal()


def send_on_commit(signal: Signal, **kwargs: object) -> None:
    """Send a discussion signal once the transaction commits.

    Receivers live in other apps; a failing one is logged and never undoes or
    breaks the write that has already committed.
    """

    transaction.on_commit(lambda: send_all([(signal, kwargs)]))


def send_all(sends: list[tuple[Signal, dict[str, Any]]]) -> None:
    """Send each discussion signal with its arguments, in order, now (after a
    commit: one on_commit hook for all of a write's signals).

    A failing receiver is logged and never stops the others.
    """
    for signal, kwargs in sends:
        for receiver, result in signal.send_robust(sender=Comment, **kwargs):
            if isinstance(result, Exception):
                logger.error("receiver %r failed", receiver, exc_info=result)


def send_in_transaction(signal: Signal, **kwargs: object) -> None:
    """Send a discussion signal now, inside the caller's transaction.

    A receiver that fails in Python is logged and leaves the write alone; one
    that fails in the database fails the transaction, as any of its statements
    would.
    """
    for receiver, result in signal.send_robust(sender=Comment, **kwargs):
        if isinstance(result, Exception):
            logger.error("receiver %r failed", receiver, exc_info=result)


class Prepared:
    """The writes of a signal's receivers, read for before a transaction and
    made inside it (prepare_in_transaction)."""

    def __init__(self, writes: list[Callable[..., object]]) -> None:
        self.writes = writes

    def __call__(self, **kwargs: object) -> None:
        """Make the writes now, inside the caller's transaction, with `kwargs`
        known only there (a count). Failures as in send_in_transaction."""
        for write in self.writes:
            try:
                write(**kwargs)
            except Exception:
                logger.exception("receiver write %r failed", write)


def prepare_in_transaction(signal: Signal, **kwargs: object) -> Prepared:
    """Ask `signal`'s receivers before a transaction (with `prepare=True`) for
    the writes they will make inside it: the reading is done outside the
    transaction, so that SQLite's write lock (one for the whole database) is
    held only for the writes (decision 0040)."""
    writes = []
    for receiver, result in signal.send_robust(sender=Comment, prepare=True, **kwargs):
        if isinstance(result, Exception):
            logger.error("receiver %r failed", receiver, exc_info=result)
        elif callable(result):
            writes.append(result)
    return Prepared(writes)
