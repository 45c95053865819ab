"""Writes of bulk imports: the demo threads and exports from other comment systems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from tribune.discussion import caching, ranking, rendering
from tribune.discussion.models import Comment, Status, Thread, Vote


@dataclass(frozen=True)
class ImportedComment:
    """A comment to add in bulk; `key`/`parent_key` link replies to parents."""

    key: str
    name: str
    email: str
    body: str
    created_at: dt.datetime
    parent_key: str | None = None
    website: str = ""
    upvotes: int = 0
    downvotes: int = 0


@transaction.atomic
def import_comments(
    *, thread: Thread, items: Sequence[ImportedComment], batch_size: int = 500
) -> list[Comment]:
    """Add approved comments with their votes in a few bulk inserts.

    For demo content and imports from other systems: no spam checks, no
    moderation, no rate limits.  Preconditions: parents come before their
    replies in `items`; keys are unique.  Votes are stored under voter keys
    "i:<comment id>:<n>" that no reader can have, so counters and rows agree.
    """
    made: dict[str, Comment] = {}
    generations: list[list[ImportedComment]] = []
    depth_of: dict[str, int] = {}
    for item in items:
        depth = depth_of[item.parent_key] + 1 if item.parent_key else 0
        depth_of[item.key] = depth
        if depth == len(generations):
            generations.append([])
        generations[depth].append(item)
    for generation in generations:
        rows = []
        for item in generation:
            parent = made[item.parent_key] if item.parent_key else None
            rows.append(
                Comment(
                    thread=thread,
                    parent=parent,
                    root_id=(parent.root_id or parent.pk) if parent else None,
                    depth=parent.depth + 1 if parent else 0,
                    status=Status.APPROVED,
                    author_name=item.name[:80],
                    author_email=item.email,
                    author_website=item.website,
                    body_markdown=item.body,
                    body_html=rendering.render_markdown(item.body),
                    created_at=item.created_at,
                    upvotes=item.upvotes,
                    downvotes=item.downvotes,
                    score=item.upvotes - item.downvotes,
                    rank=ranking.wilson_lower_bound(item.upvotes, item.downvotes),
                )
            )
        created = Comment.objects.bulk_create(rows, batch_size=batch_size)
        made.update(zip((i.key for i in generation), created, strict=True))
    votes = [
        Vote(comment=comment, voter=f"i:{comment.pk}:{n}", value=value)
        for comment in made.values()
        for n, value in enumerate(
            [1] * comment.upvotes + [-1] * comment.downvotes, start=1
        )
    ]
    Vote.objects.bulk_create(votes, batch_size=batch_size * 2)
    Thread.objects.filter(pk=thread.pk).update(
        comment_count=F("comment_count") + len(made)
    )
    caching.invalidate_thread_pages(thread.page_id)
    return list(made.values())
