"""Writes for imports from other systems: one comment at a time, with any status,
its votes, an Edited marker, a passage, and a reader account without password.

`importing.import_comments` adds approved demo threads in bulk; an importer of a
real site needs every status, updates on a rerun and registered commenters, so
these services take one comment (an importer keys it by the source's id).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from tribune.discussion import anchoring, caching, passages, ranking, rendering
from tribune.discussion.models import Comment, PassageState, Status, Thread, Vote
from tribune.discussion.services import recount_thread


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
        "author_email": entry.email[:254],
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
    comment.passage_prefix = anchor.prefix[-64:]
    comment.passage_suffix = anchor.suffix[:64]
    comment.passage_start = anchor.start
    comment.passage_end = anchor.end
    comment.passage_method = ""
    comment.save(
        update_fields=[
            "passage_state",
            "passage_block",
            "passage_exact",
            "passage_prefix",
            "passage_suffix",
            "passage_start",
            "passage_end",
            "passage_method",
        ]
    )
    return comment


def finish_thread_import(*, thread: Thread) -> Thread:
    """Recount the thread and drop its cached pages after an import."""
    thread = recount_thread(thread=thread)
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
