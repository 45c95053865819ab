"""One live process's fan-out: reads new events once, hands them to every open stream.

A process keeps the id of the last event it delivered. When woken (a Redis
message from any web node, or its polling timer without Redis) it reads the
events after that id in one query and puts each into the bounded queue of every
stream listening to its channel. A stream whose queue is full is closed; its
browser reconnects with Last-Event-ID and replays from the table, so a slow
reader costs a reconnect, never unbounded memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from tribune.live import boxes, conf, selectors, services, streaming

logger = logging.getLogger(__name__)

# An event's id and its SSE bytes, encoded once for all its streams.
Frame = tuple[int, bytes]
T = TypeVar("T")


@dataclass(eq=False)
class Listener:
    """One open stream: its channels and its queue of events to send."""

    channels: frozenset[str]
    queue: asyncio.Queue[Frame | None]
    overflowed: bool = False

    def offer(self, frame: Frame) -> None:
        """Queue a frame, or mark the stream for closing when it lags too far."""
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.overflowed = True
            # The sentinel ends the stream; a slot is freed for it.
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
            self.queue.put_nowait(None)


@dataclass
class Hub:
    """The streams of this process and the position in the event table."""

    last_id: int = 0
    by_channel: dict[str, set[Listener]] = field(default_factory=dict)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    # The ORM is synchronous; one thread keeps one database connection.
    db: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="live-db")
    )

    async def run_sync(self, function: Callable[[], T]) -> T:
        """Run an ORM read on the hub's database thread."""
        return await asyncio.get_running_loop().run_in_executor(self.db, function)

    def listen(self, channels: list[str]) -> Listener:
        listener = Listener(frozenset(channels), asyncio.Queue(conf.get("QUEUE_SIZE")))
        for channel in channels:
            self.by_channel.setdefault(channel, set()).add(listener)
        return listener

    def leave(self, listener: Listener) -> None:
        for channel in listener.channels:
            group = self.by_channel.get(channel)
            if group is not None:
                group.discard(listener)
                if not group:
                    del self.by_channel[channel]

    @property
    def listeners(self) -> int:
        return len({x for group in self.by_channel.values() for x in group})

    async def deliver_new(self) -> None:
        """Read the events after `last_id` and offer each to its listeners."""
        while True:
            listened = frozenset(c for c, group in self.by_channel.items() if group)
            read, last, found = await self.run_sync(
                functools.partial(_read_after, self.last_id, listened)
            )
            for event_id, channel, kind, payload in found:
                listeners = tuple(self.by_channel.get(channel, ()))
                if listeners:
                    frame = (event_id, streaming.event_frame(event_id, kind, payload))
                    for listener in listeners:
                        listener.offer(frame)
            # Past the events left out too (a comment no longer shown).
            self.last_id = last
            if read < 500:
                return

    async def start(self) -> None:
        """Begin at the newest event: older ones are for replays only."""
        latest = await self.run_sync(selectors.get_latest_event_id)
        self.last_id = latest

    async def pump(self, interval: float) -> None:
        """Deliver new events whenever woken, and every `interval` seconds."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), interval)
            self.wake.clear()
            try:
                await self.deliver_new()
            except Exception:  # the database is away: try again on the next wake
                logger.exception("live: reading new events failed")
                await asyncio.sleep(interval)


def _read_after(
    after: int, listened: frozenset[str]
) -> tuple[int, int, list[tuple[int, str, str, dict]]]:
    """How many rows were read, the last id read, and the events to send.

    Only the events of channels someone listens to are completed (a comment's
    box is a render): a hot thread nobody streams costs one read per wake. A
    reader who connects later replays from the database with Last-Event-ID.
    """
    if not listened:  # nobody to tell: skip to the newest event
        return 0, max(after, selectors.get_latest_event_id()), []
    rows = selectors.list_events_after(after=after, limit=500)
    wanted = [e for e in rows if e.channel in listened]
    found = [(e.pk, e.channel, e.kind, e.payload) for e in boxes.complete(wanted)]
    return len(rows), rows[-1].pk if rows else after, found


async def listen_to_redis(url: str, on_message: Callable[[], None]) -> None:
    """Call `on_message` for each message on the live channel; reconnects forever."""
    import redis.asyncio as aioredis

    while True:
        try:
            client = aioredis.Redis.from_url(url, socket_connect_timeout=1)
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(services.REDIS_CHANNEL)
                # Events published while unsubscribed are found by this read.
                on_message()
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        on_message()
        except (OSError, aioredis.RedisError):
            logger.warning("live: Redis unreachable; polling until it is back")
            await asyncio.sleep(1.0)
