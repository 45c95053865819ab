"""Yes/no answers about who may do what to a thread or comment."""

from __future__ import annotations

import datetime as dt

from tribune.core import clock
from tribune.discussion import conf
from tribune.discussion.clients import Viewer
from tribune.discussion.models import (
    Comment,
    HeldReason,
    ModerationPolicy,
    SiteCommentsMode,
    SpamAction,
    Status,
)

OPEN, CLOSED, HIDDEN = (
    SiteCommentsMode.OPEN,
    SiteCommentsMode.CLOSED,
    SiteCommentsMode.HIDDEN,
)


def thread_state(page_mode: str, site_mode: str) -> SiteCommentsMode:
    """Whether a report's comments are open, closed (readable) or hidden.

    The report's own setting wins; "default" (or anything unknown) defers to
    the site-wide setting.
    """
    for mode in (page_mode, site_mode):
        if mode in SiteCommentsMode.values:
            return SiteCommentsMode(mode)
    return OPEN


def is_author(comment: Comment, viewer: Viewer) -> bool:
    """True if the viewer wrote the comment (same account, or same guest browser)."""
    if viewer.user_id is not None:
        return comment.author_id == viewer.user_id
    return bool(viewer.guest_token) and comment.guest_token == viewer.guest_token


def edit_deadline(comment: Comment) -> dt.datetime:
    """When the author's window for editing and deleting closes."""
    return comment.created_at + dt.timedelta(minutes=conf.get("EDIT_WINDOW_MINUTES"))


def can_edit(comment: Comment, viewer: Viewer, now: dt.datetime | None = None) -> bool:
    """The author may edit a live comment within the edit window."""
    return (
        comment.status in (Status.APPROVED, Status.PENDING)
        and is_author(comment, viewer)
        and (now or clock.now()) < edit_deadline(comment)
    )


def can_delete(
    comment: Comment, viewer: Viewer, now: dt.datetime | None = None
) -> bool:
    """The author may delete a comment within the same window as editing."""
    return can_edit(comment, viewer, now)


def can_vote(comment: Comment, viewer: Viewer, state: str) -> bool:
    """Anyone but the author may vote on a visible comment of an open thread."""
    return (
        state == OPEN
        and comment.status == Status.APPROVED
        and not is_author(comment, viewer)
    )


def can_reply(parent: Comment, state: str) -> bool:
    """Replies go only to visible comments of open threads."""
    return state == OPEN and parent.status == Status.APPROVED


def can_report(comment: Comment, viewer: Viewer) -> bool:
    """Readers may report visible comments other than their own."""
    return comment.status == Status.APPROVED and not is_author(comment, viewer)


def initial_status(
    *,
    policy: str,
    is_guest: bool,
    guest_has_approved_comment: bool,
    held_word: str | None,
    spam_action: str = SpamAction.PUBLISH,
) -> tuple[Status, HeldReason]:
    """The status a new comment starts in, and why it is held if it is.

    `spam_action` is what the site setting says for the spam filter's band;
    filing as spam comes first so that likely spam never waits in the queue.
    """
    if spam_action == SpamAction.SPAM:
        return Status.SPAM, HeldReason.SPAM_FILTER
    if policy == ModerationPolicy.HOLD_ALL:
        return Status.PENDING, HeldReason.POLICY
    if held_word:
        return Status.PENDING, HeldReason.WORDS
    if spam_action == SpamAction.HOLD:
        return Status.PENDING, HeldReason.SPAM_FILTER
    if (
        policy == ModerationPolicy.HOLD_FIRST_GUEST
        and is_guest
        and not guest_has_approved_comment
    ):
        return Status.PENDING, HeldReason.FIRST_GUEST
    return Status.APPROVED, HeldReason.NONE


def can_see(comment: Comment, viewer: Viewer) -> bool:
    """Readers see approved comments, and their own held ones."""
    return comment.status == Status.APPROVED or (
        comment.status == Status.PENDING and is_author(comment, viewer)
    )
