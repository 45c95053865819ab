"""Writes of imports: the demo threads in bulk, and whole sites from other systems.

`import_comments` adds approved demo threads in bulk. An importer of a real site
(WordPress, Disqus) needs every status, updates on a rerun and registered
commenters, so `import_entry` and its helpers take one comment at a time (the
importer keys it by the source's id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

from tribune.discussion import (
    anchoring,
    caching,
    inline_selectors,
    passages,
    ranking,
    rendering,
)
from tribune.discussion.models import Comment, PassageState, Status, Thread, Vote


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
                    author_email=item.email.strip().lower(),
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


@dataclass(frozen=True)
class ImportedEntry:
    """One comment as another system had it."""

    name: str
    email: str
    body: str
    created_at: dt.datetime
    status: str = Status.APPROVED
    website: str = ""
    ip: str | None = None
    upvotes: int = 0
    downvotes: int = 0
    edited_at: dt.datetime | None = None
    author: User | None = None


def _fields(entry: ImportedEntry) -> dict[str, object]:
    return {
        "status": entry.status,
        "author": entry.author,
        "author_name": entry.name[:80] or "?",
        # Lower-cased as posted comments are: "Your page" matches it exactly.
        "author_email": entry.email.strip().lower()[:254],
        "author_website": entry.website[:200],
        "ip_address": entry.ip or None,
        "body_markdown": entry.body,
        "body_html": rendering.render_markdown(entry.body),
        "created_at": entry.created_at,
        "edited_at": entry.edited_at,
        "deleted_at": entry.created_at if entry.status == Status.DELETED else None,
        "upvotes": entry.upvotes,
        "downvotes": entry.downvotes,
        "score": entry.upvotes - entry.downvotes,
        "rank": ranking.wilson_lower_bound(entry.upvotes, entry.downvotes),
    }


def _replace_votes(comment: Comment) -> None:
    """Imported votes that no reader owns ("i:<comment>:<n>"), as the demo's."""
    comment.votes.filter(voter__startswith="i:").delete()
    Vote.objects.bulk_create(
        Vote(comment=comment, voter=f"i:{comment.pk}:{n}", value=value)
        for n, value in enumerate(
            [1] * comment.upvotes + [-1] * comment.downvotes, start=1
        )
    )


@transaction.atomic
def import_entry(
    *,
    thread: Thread,
    entry: ImportedEntry,
    parent: Comment | None = None,
    existing: Comment | None = None,
) -> Comment:
    """Add a comment as imported, or bring `existing` (made by an earlier import)
    up to date.  No spam check, moderation, rate limit or notification; the
    thread's count is recounted by `finish_thread_import`."""
    fields = _fields(entry)
    if existing is None:
        comment = Comment.objects.create(
            thread=thread,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            **fields,
        )
    else:
        comment = existing
        for name, value in fields.items():
            setattr(comment, name, value)
        comment.save(update_fields=list(fields))
    _replace_votes(comment)
    return comment


@transaction.atomic
def attach_to_passage(*, comment: Comment, body: object, stream_id: str) -> Comment:
    """Anchor a top-level comment on the whole first paragraph of a stream block
    (an editor's feedback prompt).  Unchanged when the block has no text."""
    found = passages.paragraphs_of_block(body, stream_id)  # type: ignore[arg-type]
    if comment.parent_id is not None or not found or not found[0].text.strip():
        return comment
    block = found[0]
    anchor = anchoring.make_anchor([block], block.id, 0, len(block.text))
    comment.passage_state = PassageState.ANCHORED
    comment.passage_block = anchor.block_id
    comment.passage_exact = anchor.exact
    comment.passage_prefix = anchor.prefix[-inline_selectors.CONTEXT :]
    comment.passage_suffix = anchor.suffix[: inline_selectors.CONTEXT]
    comment.passage_start = anchor.start
    comment.passage_end = anchor.end
    comment.passage_method = ""
    comment.save(update_fields=inline_selectors.PASSAGE_FIELDS)
    return comment


def finish_thread_import(*, thread: Thread) -> Thread:
    """Recount the thread and drop its cached pages after an import."""
    thread = _recount_thread(thread=thread)
    caching.invalidate_thread_pages(thread.page_id)
    return thread


@transaction.atomic
def import_reader(*, email: str, name: str = "") -> User:
    """The reader account of an imported registered commenter: made inactive and
    without a usable password (signing up with the address confirms it and sets
    one, see accounts.register_reader), or the account the address already has."""
    address = email.strip().lower()
    users = get_user_model()
    existing = users.objects.filter(email__iexact=address).first()
    if existing is not None:
        return existing
    user = users.objects.create_user(username=address, email=address, password=None)
    user.is_active = False
    user.first_name = name[:150]
    user.save(update_fields=["is_active", "first_name"])
    return user


def _recount_thread(*, thread: Thread) -> Thread:
    """Recompute the stored comment count (an import sets any status)."""
    count = thread.comments.filter(status=Status.APPROVED).count()
    Thread.objects.filter(pk=thread.pk).update(comment_count=count)
    thread.comment_count = count
    return thread
