"""Reads of the live events backlog."""

from __future__ import annotations

from collections.abc import Sequence

from tribune.live.models import LiveEvent


def channels_for_article(page_id: int) -> list[str]:
    """The channels an article page listens to: its thread and the goal bar."""
    return [f"article:{page_id}", "goal"]


def list_events_after(
    *, after: int, channels: Sequence[str] | None = None, limit: int = 200
) -> list[LiveEvent]:
    """Events with an id above `after`, oldest first, at most `limit`.

    Without `channels` the events of every channel (what a live process fans
    out); with them only those (what one reader replays).
    """
    events = LiveEvent.objects.filter(id__gt=after)
    if channels is not None:
        events = events.filter(channel__in=list(channels))
    return list(events.order_by("id")[:limit])


def get_latest_event_id() -> int:
    """The id of the newest event, 0 when there is none."""
    return LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
