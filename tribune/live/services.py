"""Writes of live events: the backlog row, waking every live process, pruning."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from tribune.core import rows
from tribune.live.models import LiveEvent

logger = logging.getLogger(__name__)

# The one Redis channel every live process listens on; a message only says
# "read the table", so a lost one costs a poll interval, never an event.
REDIS_CHANNEL = "tribune:live"


def publish_event(*, channel: str, kind: str, payload: dict[str, Any]) -> LiveEvent:
    """Store a public event and wake the live processes once it commits.

    Precondition: everything in `payload` may be seen by every reader of the
    channel (no held comment, no address, no per-reader state).
    Side effect: a Redis PUBLISH on commit when REDIS_URL is set; a Redis
    failure is logged and the processes find the row by polling.
    """
    if connection.in_atomic_block:
        return _insert_event(channel, kind, payload)
    # Called after a commit (a receiver): the row gets a transaction of its own,
    # since on SQLite only a transaction queues on the write lock (core/sqlite);
    # a bare INSERT sleeps in SQLite's busy loop while another request writes.
    with transaction.atomic():
        return _insert_event(channel, kind, payload)


def _insert_event(channel: str, kind: str, payload: dict[str, Any]) -> LiveEvent:
    event = prepare_event(channel=channel, kind=kind)
    return event.write(payload)


def prepare_event(*, channel: str, kind: str) -> PreparedEvent:
    """An event of `kind` on `channel` whose row is made now and written, with
    its payload, by `write()` inside a transaction (prepared before it, so that
    SQLite's write lock is held only for the INSERT; the time is this one).
    Precondition as publish_event's for the payload."""
    event = rows.new(LiveEvent, channel=channel, kind=kind, payload=None)
    # The row has no save() logic and no signal receivers; the ORM's save()
    # cost several times the statement, and every new comment writes one.
    return PreparedEvent(event, rows.Insert(event, later=("payload",)))


class PreparedEvent:
    """A live event's row prepared before a transaction (prepare_event)."""

    def __init__(self, event: LiveEvent, row: rows.Insert) -> None:
        self.event, self.row = event, row

    def write(self, payload: dict[str, Any]) -> LiveEvent:
        """Write the row with `payload` inside the caller's transaction and
        wake the live processes once it commits."""
        event = self.event
        event.payload = payload
        self.row.run()
        pk = event.pk
        # A lambda, not a partial: Django logs a failing hook by its __qualname__.
        self.row.connection.on_commit(lambda: wake_live_processes(pk), robust=True)
        return event


def wake_live_processes(event_id: int) -> None:
    """Tell every live process through Redis that events up to `event_id` exist."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return
    import redis

    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=0.3, socket_timeout=0.3
        )
        client.publish(REDIS_CHANNEL, str(event_id))
        client.close()
    except redis.RedisError:
        logger.warning("live: Redis unreachable; live processes will poll")


def prune_events(*, before: dt.datetime) -> int:
    """Delete events created before `before`; returns how many went.

    The newest event always stays, so that ids keep growing on databases that
    would reuse the highest id of an emptied table.
    """
    newest = LiveEvent.objects.order_by("-id").values_list("id", flat=True).first()
    old = LiveEvent.objects.filter(created_at__lt=before)
    if newest is not None:
        old = old.exclude(id=newest)
    deleted, _ = old.delete()
    return deleted
