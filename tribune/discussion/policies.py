"""Yes/no answers about who may do what to a thread or comment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tribune.core import clock
from tribune.discussion import conf, networks
from tribune.discussion.identity import Viewer
from tribune.discussion.models import (
    Ban,
    BanMode,
    Comment,
    DiscussionSettings,
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


# The modes by value: Django's `SiteCommentsMode.values` builds its list (and
# every label) on each use.
_MODES = {mode.value: mode for mode in SiteCommentsMode}


def thread_state(page_mode: str, site_mode: str) -> SiteCommentsMode:
    """Whether an article's comments are open, closed (readable) or hidden.

    The article's own setting wins; "default" (or anything unknown) defers to
    the site-wide setting.
    """
    return _MODES.get(page_mode) or _MODES.get(site_mode) or OPEN


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


def ban_verdict(
    bans: Iterable[Ban],
    *,
    user_id: int | None,
    guest_token: str,
    ip: str | None,
    email: str = "",
    email_proved: bool = False,
    now: dt.datetime,
) -> BanMode | None:
    """How the bans treat a poster or voter: refuse, shadow hold, or None.

    A ban counts while it is neither lifted nor expired and any of its targets
    matches.  A ban matched only by an email address nobody proved (a guest's
    typed one) shadow-holds even in refuse mode, so that no answer tells anyone
    that an address is banned.  Refusal wins over a shadow hold.
    """
    verdict = None
    for ban in bans:
        if not _in_force(ban, now):
            continue
        proved = _proved_match(
            ban, user_id=user_id, guest_token=guest_token, ip=ip
        ) or (email_proved and _email_match(ban, email))
        if proved and ban.mode == BanMode.REFUSE:
            return BanMode.REFUSE
        if proved or _email_match(ban, email):
            verdict = BanMode.SHADOW
    return verdict


def _in_force(ban: Ban, now: dt.datetime) -> bool:
    """Neither lifted nor expired at `now`."""
    return ban.lifted_at is None and (ban.expires_at is None or ban.expires_at > now)


def _email_match(ban: Ban, email: str) -> bool:
    return bool(ban.email) and bool(email) and ban.email == email


def _proved_match(
    ban: Ban, *, user_id: int | None, guest_token: str, ip: str | None
) -> bool:
    """Whether the ban targets the account, the browser or the network."""
    return (
        (ban.user_id is not None and ban.user_id == user_id)
        or (bool(ban.guest_token) and ban.guest_token == guest_token)
        or networks.contains(ban.network, ip)
    )


def report_counts(
    viewer: Viewer, rules: DiscussionSettings, *, email_verified: bool = False
) -> bool:
    """Whether a report by `viewer` counts towards hiding a comment.

    Accounts (confirmed by email) and guests whose browser verified an email
    address count; another guest counts once the browser's signed cookie is
    older than the site's `report_min_guest_age_hours`, so dropping the cookie
    makes no reporter that counts.
    """
    if viewer.user_id is not None or email_verified:
        return True
    if viewer.guest_since is None:
        return False
    age = clock.now().timestamp() - viewer.guest_since
    return age >= rules.report_min_guest_age_hours * 3600


def initial_status(
    *,
    policy: str,
    is_guest: bool,
    guest_is_trusted: bool,
    held_word: str | None,
    banned: bool = False,
    spam_action: str = SpamAction.PUBLISH,
    offensive: bool = False,
    supporter: bool = False,
) -> tuple[Status, HeldReason]:
    """The status a new comment starts in, and why it is held if it is.

    `guest_is_trusted` must come from proof (selectors.is_trusted_guest), never
    from an address the guest typed.  `spam_action` is what the site setting
    says for the spam filter's band: filing as spam comes first so that likely
    spam never waits in the queue; a shadow ban (`banned`) holds it next.
    `offensive` is the offensive-language check's verdict (held after held
    words, before the spam filter's hold).
    `supporter` (a proved supporter, where the site lets them skip its hold)
    passes the policy's holds, never the held words, the filter or a ban.
    """
    if spam_action == SpamAction.SPAM:
        return Status.SPAM, HeldReason.SPAM_FILTER
    if banned:
        return Status.PENDING, HeldReason.BANNED
    if policy == ModerationPolicy.HOLD_ALL and not supporter:
        return Status.PENDING, HeldReason.POLICY
    if held_word:
        return Status.PENDING, HeldReason.WORDS
    if offensive:
        return Status.PENDING, HeldReason.OFFENSIVE
    if spam_action == SpamAction.HOLD:
        return Status.PENDING, HeldReason.SPAM_FILTER
    if (
        policy == ModerationPolicy.HOLD_FIRST_GUEST
        and is_guest
        and not (guest_is_trusted or supporter)
    ):
        return Status.PENDING, HeldReason.FIRST_GUEST
    return Status.APPROVED, HeldReason.NONE


def can_see(comment: Comment, viewer: Viewer) -> bool:
    """Readers see approved comments, and their own held ones."""
    return comment.status == Status.APPROVED or (
        comment.status == Status.PENDING and is_author(comment, viewer)
    )


def apparent_status(comment: Comment) -> str:
    """The status a comment's author is shown: a shadow-held one looks published."""
    if comment.status == Status.PENDING and comment.held_reason == HeldReason.BANNED:
        return Status.APPROVED
    return comment.status


def can_view_comment(
    *, viewer: Viewer, comment: Comment, state: str, page_public: bool
) -> bool:
    """The one answer to "may this reader see this comment", for every route
    that shows or acts on a single comment (reports, edits, votes, the API).

    `state` is the thread's thread_state; `page_public` says the article is live
    and outside any private section.  Staff see every status; other readers see
    approved comments and their own held ones (selectors.visible_to is the same
    rule for lists).
    """
    if not page_public or state == HIDDEN:
        return False
    return viewer.is_moderator or can_see(comment, viewer)
