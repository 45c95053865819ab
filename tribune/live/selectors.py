"""Reads of the live events backlog, and what the receivers read about an article."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from wagtail.models import Site

from tribune.core import generations, prepared, sites
from tribune.discussion import pages
from tribune.discussion import selectors as discussion
from tribune.discussion.models import DiscussionSettings
from tribune.live.models import LiveEvent
from tribune.newsroom.models import ArticlePage

KEEP_SECONDS = 3600


def get_settings_of_page(page: ArticlePage) -> DiscussionSettings:
    """The discussion settings of the site an article belongs to (the default
    site's when none), from this process's memory when it can be (no query:
    the site comes from Wagtail's cached root paths).

    For the receivers, which run after a commit without a request.
    """
    site_id, _address = pages.get_page_address(page)

    def load() -> DiscussionSettings:
        site = Site.objects.filter(pk=site_id).first() if site_id else None
        return discussion.get_settings(site)

    # Kept under the sites' generation, which every change of a site or a site
    # setting bumps (core/sites.py).
    return generations.remember(
        sites.GENERATION, f"live:settings:{site_id}", load, KEEP_SECONDS
    )


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
    found = _NEWEST_EVENT.rows()
    return found[0][0] if found else 0


def _newest_event() -> QuerySet[Any]:
    return LiveEvent.objects.order_by("-id").values_list("id")[:1]


# Every article page asks (its stream starts there): compiled once (core/prepared.py).
_NEWEST_EVENT = prepared.Prepared(LiveEvent, _newest_event)
