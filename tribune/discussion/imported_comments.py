"""Writes for importers: one comment from another system at a time, any status.

`importing.import_comments` adds approved threads in bulk (the demo); importers that
must keep spam and deleted comments out of view, rerun idempotently and update what
changed use these instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from tribune.discussion import caching, ranking, rendering
from tribune.discussion.models import Comment, Status, Thread, Vote


@dataclass(frozen=True)
class LegacyComment:
    """What another system knew about one comment; `body` is Markdown."""

    name: str
    email: str
    body: str
    created_at: dt.datetime
    status: str = Status.APPROVED
    website: str = ""
    upvotes: int = 0
    downvotes: int = 0
    edited_at: dt.datetime | None = None


def _imported_voter(comment_pk: int, n: int) -> str:
    # A voter key no reader can have ("u:"/"g:" are readers'), so counters
    # and rows agree, as in importing.import_comments.
    return f"i:{comment_pk}:{n}"


def _set_imported_votes(comment: Comment, upvotes: int, downvotes: int) -> None:
    Vote.objects.filter(comment=comment, voter__startswith=f"i:{comment.pk}:").delete()
    Vote.objects.bulk_create(
        Vote(comment=comment, voter=_imported_voter(comment.pk, n), value=value)
        for n, value in enumerate([1] * upvotes + [-1] * downvotes, start=1)
    )
    ups = Vote.objects.filter(comment=comment, value=1).count()
    downs = Vote.objects.filter(comment=comment, value=-1).count()
    comment.upvotes, comment.downvotes = ups, downs
    comment.score = ups - downs
    comment.rank = ranking.wilson_lower_bound(ups, downs)


def _fill(comment: Comment, item: LegacyComment) -> None:
    comment.status = item.status
    comment.author_name = (item.name or "").strip()[:80]
    comment.author_email = item.email
    comment.author_website = item.website[:200]
    comment.body_markdown = item.body
    comment.body_html = rendering.render_markdown(item.body)
    comment.created_at = item.created_at
    comment.edited_at = item.edited_at
    if item.status == Status.DELETED:
        comment.deleted_at = comment.deleted_at or item.created_at
    else:
        comment.deleted_at = None


@transaction.atomic
def add_imported_comment(
    *, thread: Thread, item: LegacyComment, parent: Comment | None = None
) -> Comment:
    """Add one comment from another system, with its votes, in any status.

    No spam checks, moderation, rate limits or notifications: the comment was
    already judged where it came from.  Spam, pending and deleted comments stay
    out of view.  The caller recounts the thread (`recount_imported_thread`)
    once its comments are in.
    """
    if parent is not None and parent.thread_id != thread.pk:
        raise ValueError("a reply must be in its parent's thread")
    comment = Comment(
        thread=thread,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        depth=parent.depth + 1 if parent else 0,
    )
    _fill(comment, item)
    comment.save()
    if item.upvotes or item.downvotes:
        _set_imported_votes(comment, item.upvotes, item.downvotes)
        comment.save(update_fields=["upvotes", "downvotes", "score", "rank"])
    return comment


@transaction.atomic
def update_imported_comment(*, comment: Comment, item: LegacyComment) -> Comment:
    """Bring an imported comment up to a newer export: text, status, author, votes.

    Votes readers cast here since the import are kept.  The caller recounts the
    thread afterwards.
    """
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    _fill(locked, item)
    _set_imported_votes(locked, item.upvotes, item.downvotes)
    locked.save()
    return locked


@transaction.atomic
def recount_imported_thread(*, thread: Thread) -> Thread:
    """Recompute a thread's visible count after an import and drop its cached pages."""
    count = thread.comments.filter(status=Status.APPROVED).count()
    Thread.objects.filter(pk=thread.pk).update(comment_count=count)
    thread.comment_count = count
    caching.invalidate_thread_pages(thread.page_id)
    return thread
