"""The ASGI app `tribune live` serves: one Server-Sent Events stream per open page.

It runs in its own process (decision 0025) so that long-lived connections never
hold the WSGI workers that serve pages. GET /live/stream/<article id>/ streams
the article's public events and the goal bar's; Last-Event-ID (or ?last=)
replays what a reconnecting browser missed from the events table.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.http import HttpRequest

from tribune.discussion import identity
from tribune.live import boxes, conf, hub, selectors, streaming

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

_STREAM_HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    # nginx: pass each event on at once (deploy/nginx also turns buffering off).
    (b"x-accel-buffering", b"no"),
    # Public events only and no cookies read: any page may listen.
    (b"access-control-allow-origin", b"*"),
]


class LiveApp:
    """The stream server; one instance per process."""

    def __init__(self) -> None:
        self.hub = hub.Hub()
        self.per_ip: Counter[str] = Counter()
        self.tasks: list[asyncio.Task[None]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self._start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for task in self.tasks:
                    task.cancel()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _start(self) -> None:
        await self.hub.start()
        redis_url = getattr(settings, "REDIS_URL", "")
        interval = conf.get("POLL_SECONDS_WITH_REDIS" if redis_url else "POLL_SECONDS")
        self.tasks.append(asyncio.create_task(self.hub.pump(interval)))
        if redis_url:
            self.tasks.append(
                asyncio.create_task(hub.listen_to_redis(redis_url, self.hub.wake.set))
            )

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == "/live/health":
            await _plain(send, 200, b"ok")
            return
        page_id = streaming.page_id_from_path(scope["path"])
        if page_id is None or scope["method"] not in {"GET", "HEAD"}:
            await _plain(send, 404, b"not found")
            return
        address = _client_ip(scope)
        if self.per_ip[address] >= conf.get("CONNECTIONS_PER_IP"):
            await _plain(send, 429, b"too many streams")
            return
        self.per_ip[address] += 1
        try:
            await self._stream(scope, receive, send, page_id)
        finally:
            self.per_ip[address] -= 1
            if not self.per_ip[address]:
                del self.per_ip[address]

    async def _stream(
        self, scope: Scope, receive: Receive, send: Send, page_id: int
    ) -> None:
        channels = selectors.channels_for_article(page_id)
        # Listen first, then replay: an event in between is in both, and the
        # replay's last id drops the duplicate.
        listener = self.hub.listen(channels)
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": _STREAM_HEADERS,
                }
            )
            await _send(send, streaming.opening_frame(1000))
            replayed = await self._replay(send, channels, _last_event_id(scope))
            await self._relay(listener, receive, send, replayed)
        except OSError:
            pass  # the browser went away mid-write
        finally:
            self.hub.leave(listener)

    async def _replay(self, send: Send, channels: list[str], last: int | None) -> int:
        if last is None:
            return 0
        limit = conf.get("REPLAY_LIMIT")

        def read() -> tuple[int, list[tuple[int, str, dict]]]:
            rows = selectors.list_events_after(
                after=last, channels=channels, limit=limit
            )
            found = [(e.pk, e.kind, e.payload) for e in boxes.complete(rows)]
            return (rows[-1].pk if rows else last), found

        replayed, found = await self.hub.run_sync(read)
        for event_id, kind, payload in found:
            await _send(send, streaming.event_frame(event_id, kind, payload))
        return replayed

    async def _relay(
        self, listener: hub.Listener, receive: Receive, send: Send, replayed: int
    ) -> None:
        gone = asyncio.ensure_future(_wait_disconnect(receive))
        heartbeat = conf.get("HEARTBEAT_SECONDS")
        try:
            while not gone.done():
                getter = asyncio.ensure_future(listener.queue.get())
                done, _ = await asyncio.wait(
                    {getter, gone}, timeout=heartbeat, return_when="FIRST_COMPLETED"
                )
                if getter not in done:
                    getter.cancel()
                    if not gone.done():
                        await _send(send, streaming.HEARTBEAT)
                    continue
                frame = getter.result()
                if frame is None:
                    return  # too slow: the browser reconnects and replays
                if frame[0] > replayed:
                    await _send(send, frame[1])
        finally:
            gone.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await gone


async def _wait_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _send(send: Send, body: bytes) -> None:
    await send({"type": "http.response.body", "body": body, "more_body": True})


async def _plain(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"text/plain"), (b"cache-control", b"no-store")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _last_event_id(scope: Scope) -> int | None:
    """Last-Event-ID from a reconnecting EventSource, else ?last= from the page."""
    header = streaming.parse_event_id(_header(scope, b"last-event-id"))
    if header is not None:
        return header
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    values = query.get("last")
    return streaming.parse_event_id(values[0]) if values else None


def _client_ip(scope: Scope) -> str:
    """The address the limit counts, with the site's trusted-proxy rule."""
    request = HttpRequest()
    client = scope.get("client") or ("", 0)
    request.META["REMOTE_ADDR"] = client[0]
    forwarded = _header(scope, b"x-forwarded-for")
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return identity.client_ip(request) or "unknown"


def get_application() -> LiveApp:
    """The ASGI app, after Django is set up (`tribune live` does that)."""
    return LiveApp()
