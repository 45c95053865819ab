"""The template tag that puts live updates on an article page."""

from __future__ import annotations

from django import template

from tribune.core import skeletons
from tribune.live import conf, selectors

register = template.Library()

TEMPLATE = "live/live.html"


@register.simple_tag(takes_context=True)
def live_updates(context: template.Context, page: object) -> str:
    """The stream's address and the newest event id the rendered page already shows.

    The id is the same for every reader of this render (the page cache drops
    the page when its thread or the goal bar changes), so the shared copy holds
    nothing personal; the script replays from it when the stream opens. The
    HTML shows only these values, so it is kept per process for them
    (core/skeletons.py).
    """
    page_id = int(getattr(page, "pk", 0) or 0)
    values = {
        "page_id": page_id,
        "stream_url": f"{conf.get('STREAM_URL')}{page_id}/",
        "after": selectors.get_latest_event_id(),
    }

    def render() -> str:
        return skeletons.render_included(context, TEMPLATE, values)

    key = f"live:{values['after']}:{values['stream_url']}:{page_id}"
    return skeletons.render_once(context.get("request"), key, render)
