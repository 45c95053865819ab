"""The live app's tunables with their defaults (override as LIVE_<NAME> in settings)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Where the page's script opens the event stream; a path served by the
    # `tribune live` process behind the same host (deploy/nginx), or a full URL.
    "STREAM_URL": "/live/stream/",
    # Open streams one address may hold in one live process (tabs, households
    # behind one NAT); more are refused with 429.
    "CONNECTIONS_PER_IP": 16,
    # Events queued for one slow connection before it is closed; the browser
    # reconnects with Last-Event-ID and replays from the table.
    "QUEUE_SIZE": 64,
    # A comment line this often keeps proxies from closing an idle stream.
    "HEARTBEAT_SECONDS": 15.0,
    # How often a live process reads new events when no Redis wakes it; with
    # Redis, a safety net for a lost message.
    "POLL_SECONDS": 0.25,
    "POLL_SECONDS_WITH_REDIS": 5.0,
    # Events one reconnect or one poll replays at most.
    "REPLAY_LIMIT": 200,
    # Events older than this are pruned by the worker (`live_prune`).
    "KEEP_SECONDS": 3600,
}


def get(name: str) -> Any:
    """The setting LIVE_<name>, else its default."""
    return getattr(settings, f"LIVE_{name}", DEFAULTS[name])
