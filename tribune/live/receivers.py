"""Turns discussion's and funding's signals into public live events."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.loader import render_to_string
from django.utils.translation import ngettext

from tribune.discussion import presenters, selectors, tree
from tribune.discussion.errors import NotFoundError
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, Status
from tribune.discussion.policies import HIDDEN
from tribune.live import selectors as live_selectors
from tribune.live import services

logger = logging.getLogger(__name__)

# Rendered where the vote form's token goes, then removed with its input; per
# process, so no comment text can contain it.
_NO_TOKEN = "live-no-token-" + secrets.token_hex(16)
_TOKEN_INPUT = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_NO_TOKEN}">'


def _public_state(comment: Comment) -> str | None:
    """The thread's state for a public comment, None when nothing may be sent.

    Held, spam and deleted comments, private or unpublished articles and
    hidden threads send nothing.
    """
    if comment.status != Status.APPROVED:
        return None
    # From this process's memory, like the posting path's own check: a post
    # must not pay three queries again after its commit.
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


def _count_payload(page_id: int, count: int | None) -> dict[str, Any]:
    if count is None:
        count = selectors.count_comments([page_id])[page_id]
    # The same words as the thread's heading (discussion/thread.html).
    label = ngettext("%(shown)s Comment", "%(shown)s Comments", count) % {
        "shown": intcomma(count)
    }
    return {"count": count, "count_label": label}


def _public_html(comment: Comment, state: str) -> str:
    """The comment's box as an anonymous reader sees it in the thread."""
    node = tree.Node(comment.pk, comment.parent_id, comment.author_name, True, comment)
    [shown] = presenters.present([node], Viewer(), state=state, votes={})
    html = render_to_string(
        "live/comment.html",
        {"node": shown, "c": comment, "view": shown.item, "csrf_token": _NO_TOKEN},
    )
    # No token in a shared payload: the page's script adds the reader's own.
    return html.replace(_TOKEN_INPUT, "")


def comment_visible(
    sender: object, comment: Comment, count: int | None = None, **kwargs: object
) -> None:
    """A comment became visible: send its public box and the new count (the
    signal's `count` when the sender knows it, else read)."""
    state = _public_state(comment)
    if state is None:
        return
    page_id = comment.thread.page_id
    services.publish_event(
        channel=f"article:{page_id}",
        kind="comment",
        payload={
            "id": comment.pk,
            "parent": comment.parent_id,
            "html": _public_html(comment, state),
            **_count_payload(page_id, count),
        },
    )


def comment_scored(sender: object, comment: Comment, **kwargs: object) -> None:
    """A vote changed a comment's score: send the new score."""
    if _public_state(comment) is None:
        return
    services.publish_event(
        channel=f"article:{comment.thread.page_id}",
        kind="score",
        payload={"id": comment.pk, "score": comment.score},
    )


def goal_changed(sender: object, **kwargs: object) -> None:
    """The goal bar changed: pages refetch its public JSON."""
    services.publish_event(channel="goal", kind="goal", payload={})
