"""Turns discussion's and funding's signals into public live events."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import ngettext

from tribune.discussion import selectors
from tribune.discussion.models import Comment
from tribune.live import boxes, services

logger = logging.getLogger(__name__)


def _count_payload(page_id: int, count: int | None) -> dict[str, Any]:
    if count is None:
        count = selectors.count_comments([page_id])[page_id]
    # The same words as the thread's heading (discussion/thread.html).
    label = ngettext("%(shown)s Comment", "%(shown)s Comments", count) % {
        "shown": intcomma(count)
    }
    return {"count": count, "count_label": label}


def comment_shown(
    sender: object,
    comment: Comment,
    count: int | None = None,
    prepare: bool = False,
    **kwargs: object,
) -> Callable[..., None] | None:
    """A comment is becoming visible: send it and the new count (the signal's
    `count` when the sender knows it, else read).

    Runs inside the comment's transaction, so the event row commits or rolls
    back with it (one transaction per post, an outbox row); the live processes
    are woken on commit. The event names the comment; its public box is
    rendered where the event is read (live/boxes.py), not in the request that
    posted it. With `prepare` (before the transaction, signals.
    prepare_in_transaction) the checks run now and the write is returned, to be
    called inside the transaction with the count.
    """
    if boxes.public_state(comment) is None:
        return None
    page_id = comment.thread.page_id
    channel = f"article:{page_id}"
    if not prepare:
        services.publish_event(
            channel=channel, kind="comment", payload=_payload(comment, count)
        )
        return None
    # The row is made now, before the transaction; only its INSERT runs in it.
    event = services.prepare_event(channel=channel, kind="comment")

    def write(count: int | None = count) -> None:
        event.write(_payload(comment, count))

    return write


def _payload(comment: Comment, count: int | None) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        # The conversation: a reply into one whose replies are not loaded
        # counts in its "View N replies" link.
        "root": comment.root_id,
        **_count_payload(comment.thread.page_id, count),
    }


def comment_scored(sender: object, comment: Comment, **kwargs: object) -> None:
    """A vote changed a comment's score: send the new score."""
    if boxes.public_state(comment) is None:
        return
    services.publish_event(
        channel=f"article:{comment.thread.page_id}",
        kind="score",
        payload={"id": comment.pk, "score": comment.score},
    )


def goal_changed(sender: object, **kwargs: object) -> None:
    """The goal bar changed: pages refetch its public JSON."""
    services.publish_event(channel="goal", kind="goal", payload={})
