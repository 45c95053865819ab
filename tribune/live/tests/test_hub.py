"""A stream's queue is bounded: a reader who lags is closed, not buffered without end."""

from __future__ import annotations

import asyncio

from tribune.live import hub, streaming


def test_a_lagging_stream_is_ended_instead_of_growing(settings):
    settings.LIVE_QUEUE_SIZE = 3

    async def scenario():
        listener = hub.Hub().listen(["article:1"])
        for n in range(10):
            listener.offer((n, streaming.event_frame(n, "score", {"id": n})))
        queued = [listener.queue.get_nowait() for _ in range(listener.queue.qsize())]
        return listener, queued

    listener, queued = asyncio.run(scenario())
    assert listener.overflowed
    assert len(queued) == 3
    assert queued[-1] is None  # the end of the stream; the browser replays


def test_leaving_forgets_the_stream_on_every_channel(settings):
    async def scenario():
        center = hub.Hub()
        listener = center.listen(["article:1", "goal"])
        other = center.listen(["goal"])
        center.leave(listener)
        return center, other

    center, other = asyncio.run(scenario())
    assert center.by_channel == {"goal": {other}}
    assert center.listeners == 1


def test_the_wire_format_is_one_line_of_data_whatever_the_text():
    frame = streaming.event_frame(7, "comment", {"html": "a\nb\r\n\u2028<x>"})
    assert frame.count(b"\n\n") == 1 and frame.endswith(b"\n\n")
    assert frame.startswith(b"id: 7\nevent: comment\ndata: {")
    assert streaming.parse_event_id("12") == 12
    for bad in (None, "", "-1", "1.5", "x", "9" * 19, "\u0661\u0662"):
        assert streaming.parse_event_id(bad) is None
    assert streaming.page_id_from_path("/live/stream/5/") == 5
    assert streaming.page_id_from_path("/live/stream/5/../6/") is None
