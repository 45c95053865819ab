"""The template tag that puts live updates on an article page."""

from __future__ import annotations

from django import template

from tribune.live import conf, selectors

register = template.Library()


@register.inclusion_tag("live/live.html")
def live_updates(page: object) -> dict[str, object]:
    """The stream's address and the newest event id the rendered page already shows.

    The id is the same for every reader of this render (the page cache drops
    the page when its thread or the goal bar changes), so the shared copy holds
    nothing personal; the script replays from it when the stream opens.
    """
    page_id = int(getattr(page, "pk", 0) or 0)
    return {
        "page_id": page_id,
        "stream_url": f"{conf.get('STREAM_URL')}{page_id}/",
        "after": selectors.get_latest_event_id(),
    }
