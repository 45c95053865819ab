"""The public box of a comment event, rendered where the event is read.

A comment event is written in the posting request with the comment's id, its
parent and the count; its box (the thread's template for an anonymous reader)
is rendered by whoever reads the event (a live process fanning it out, a
replay, the polling view), once per process and event, so the POST does not
pay a second template render. The box is checked against the comment as it
is then: a comment held, removed or deleted since, or an article made private
or hidden, sends nothing.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.translation import get_language

from tribune.core import generations, sites
from tribune.discussion import comment_views, selectors, tree
from tribune.discussion.errors import NotFoundError
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, Status, Thread
from tribune.discussion.policies import HIDDEN
from tribune.live import selectors as live_selectors
from tribune.live.models import LiveEvent

logger = logging.getLogger(__name__)

# Rendered where the vote form's token goes, then removed with its input; per
# process, so no comment text can contain it.
_NO_TOKEN = "live-no-token-" + secrets.token_hex(16)
_TOKEN_INPUT = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_NO_TOKEN}">'
# An event's box never changes once rendered (the event is a snapshot); the
# entry only needs to outlive the event's replays.
TIMEOUT = live_selectors.KEEP_SECONDS


def public_state(comment: Comment) -> str | None:
    """The thread's state for a public comment, None when nothing may be sent.

    Held, spam and deleted comments, private or unpublished articles and
    hidden threads send nothing. The article's part of the answer is kept per
    process and article under the generations of articles and of sites, which
    every change it depends on advances (the page, its thread, its site's
    settings, a private section, a move): every comment shown pays it once.
    """
    if comment.status != Status.APPROVED:
        return None
    page_id = comment.thread.page_id
    numbers = (
        generations.current(selectors.ARTICLES_GENERATION),
        generations.current(sites.GENERATION),
    )
    if None in numbers:  # the shared cache is away: nothing kept is trusted
        return _article_state(comment)
    global _STATES  # replaced whole, never changed in place
    kept = _STATES
    if kept[0] != numbers:
        # Each request keeps the pair it read: a request still on older
        # numbers never fills the newer numbers' answers.
        kept = _STATES = (numbers, {})
    states = kept[1]
    if page_id not in states:
        states[page_id] = _article_state(comment)
    return states[page_id]


# (the generations' numbers, {page id: the article's state or None}): one
# pair of generations' answers, so at most one entry per article.
_STATES: tuple[Any, dict[int, str | None]] = (None, {})


def _article_state(comment: Comment) -> str | None:
    if Thread.page.is_cached(comment.thread):
        # The article as the posting request read it, a moment ago.
        article = comment.thread.page
        if not selectors.is_public(article):
            return None
    else:
        # From this process's memory, like the posting path's own check: a post
        # must not pay three queries again.
        try:
            thread = selectors.get_public_thread(comment.thread.page_id)
        except NotFoundError:
            return None
        if thread is None:
            return None
        article = thread.page
    rules = live_selectors.get_settings_of_page(article)
    state = selectors.get_state(article, rules)
    return None if state == HIDDEN else str(state)


def public_html(comment: Comment, state: str) -> str:
    """The comment's box as an anonymous reader sees it in the thread."""
    node = tree.Node(comment.pk, comment.parent_id, comment.author_name, True, comment)
    [shown] = comment_views.present([node], Viewer(), state=state, votes={})
    html = render_to_string(
        "live/comment.html",
        {"node": shown, "c": comment, "view": shown.item, "csrf_token": _NO_TOKEN},
    )
    # No token in a shared payload: the page's script adds the reader's own.
    return html.replace(_TOKEN_INPUT, "")


def _render(event: LiveEvent, comment: Comment | None) -> str | None:
    """The event's box, None when its comment may not be shown (or failed)."""
    try:
        state = public_state(comment) if comment is not None else None
        return public_html(comment, state) if comment and state else None
    except Exception:
        logger.exception("live: the box of event %s failed", event.pk)
        return None


def complete(events: Iterable[LiveEvent]) -> list[LiveEvent]:
    """The events ready to send: comment events get their public box, and those
    whose comment may no longer be shown are left out.

    One comment query for the events whose box this process has not rendered
    yet. A box that fails to render is left out and logged, so one bad event
    never stops the ones after it.
    """
    events = list(events)
    cache = caches["local"]
    language = get_language()
    keys = {
        e.pk: f"live:box:{language}:{e.pk}"
        for e in events
        if e.kind == "comment" and "html" not in e.payload
    }
    boxes: dict[str, str | None] = dict(cache.get_many(list(keys.values())))
    missing = [e for e in events if e.pk in keys and keys[e.pk] not in boxes]
    if missing:
        comments = Comment.objects.select_related("thread").in_bulk(
            [e.payload["id"] for e in missing]
        )
        for event in missing:
            html = _render(event, comments.get(event.payload["id"]))
            boxes[keys[event.pk]] = html
            if html is not None:
                cache.set(keys[event.pk], html, TIMEOUT)
    ready = []
    for event in events:
        if event.pk in keys:
            html = boxes.get(keys[event.pk])
            if html is None:
                continue
            event.payload = {**event.payload, "html": html}
        ready.append(event)
    return ready
