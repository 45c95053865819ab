"""The Server-Sent Events wire format and the checks of what a browser sends: pure."""

from __future__ import annotations

import json
import re
from typing import Any

# An id is what this server wrote: a positive 64-bit integer.
_ID = re.compile(r"[0-9]{1,18}")
_PATH = re.compile(r"/live/stream/([0-9]{1,12})/?")


def parse_event_id(raw: str | None) -> int | None:
    """The event id in `raw`, None when it is absent or not one of ours."""
    if raw is None or not _ID.fullmatch(raw.strip()):
        return None
    return int(raw.strip())


def page_id_from_path(path: str) -> int | None:
    """The article id of a stream path, /live/stream/<id>/, else None."""
    found = _PATH.fullmatch(path)
    return int(found.group(1)) if found else None


def event_frame(event_id: int, kind: str, payload: dict[str, Any]) -> bytes:
    """One SSE message; json.dumps writes no newline, so `data` is one line."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event_id}\nevent: {kind}\ndata: {data}\n\n".encode()


def opening_frame(retry_ms: int) -> bytes:
    """What a stream starts with: the reconnect delay and a `ready` event.

    The script falls back to polling when `ready` never arrives (a proxy that
    buffers the body).
    """
    return f"retry: {retry_ms}\nevent: ready\ndata: {{}}\n\n".encode()


HEARTBEAT = b": ping\n\n"
