"""Every write to the discussion: comments, votes, reports and moderation."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils.translation import gettext as _

from tribune.core import clock, ratelimit
from tribune.core.text import clean_reader_text
from tribune.discussion import (
    caching,
    conf,
    policies,
    ranking,
    rendering,
    selectors,
    signals,
    spam,
)
from tribune.discussion.errors import (
    BannedError,
    InvalidCommentError,
    InvalidReplyError,
    NotAllowedError,
    RateLimitedError,
    ThreadClosedError,
)
from tribune.discussion.identity import Viewer
from tribune.discussion.models import (
    Action,
    BanMode,
    Comment,
    DiscussionSettings,
    HeldReason,
    ModerationAction,
    ModerationPolicy,
    Report,
    SiteCommentsMode,
    Status,
    Thread,
    Vote,
)
from tribune.discussion.spamfilter import screening as spamfilter
from tribune.newsroom.models import ArticlePage

logger = logging.getLogger(__name__)
NOTIFY_CHOICES = frozenset({"replies", "all"})


def _announce_on_commit(signal: Signal, **kwargs: object) -> None:
    """Send a discussion signal once the transaction commits.

    Receivers live in other apps; a failing one is logged and never undoes or
    breaks the write that has already committed.
    """

    def send() -> None:
        for receiver, result in signal.send_robust(sender=Comment, **kwargs):
            if isinstance(result, Exception):
                logger.error("receiver %r failed", receiver, exc_info=result)

    transaction.on_commit(send)


@dataclass(frozen=True)
class Guest:
    """What a guest types into the form; the email is for moderators only."""

    name: str
    email: str
    website: str = ""


def get_or_create_thread(*, page: ArticlePage) -> Thread:
    """The thread of a report, made on first use (safe when two requests race)."""
    thread, _created = Thread.objects.get_or_create(page_id=page.pk)
    thread.page = page  # keeps the page at hand, e.g. for its URL on invalidation
    return thread


def _clean_body(body: str, rules: DiscussionSettings) -> tuple[str, str]:
    """The trimmed text and its HTML, or InvalidCommentError."""
    body = clean_reader_text(body or "").strip()
    if not body:
        raise InvalidCommentError(_("Please write a comment."), field="body")
    limit = conf.get("MAX_LENGTH")
    if len(body) > limit:
        raise InvalidCommentError(
            _("Comments can be at most %(limit)d characters; this one has %(n)d.")
            % {"limit": limit, "n": len(body)},
            field="body",
            code="too_long",
        )
    html, links = rendering.render_and_count_links(body)
    if links > rules.max_links:
        raise InvalidCommentError(
            _("Comments can contain at most %(n)d links.") % {"n": rules.max_links},
            field="body",
            code="too_many_links",
        )
    return body, html


def _clean_guest(guest: Guest) -> Guest:
    name = " ".join(clean_reader_text(guest.name or "").split())
    # Stored lower-case, so "has this guest been approved before" is an index lookup.
    email = (guest.email or "").strip().lower()
    website = clean_reader_text(guest.website or "").strip()
    if not name:
        raise InvalidCommentError(_("Please give a name."), field="name")
    if len(name) > 80:
        raise InvalidCommentError(
            _("Names can be at most 80 characters."), field="name"
        )
    if not email:
        raise InvalidCommentError(
            _("Please give your email address; it is never shown."), field="email"
        )
    try:
        EmailValidator()(email)
    except ValidationError:
        raise InvalidCommentError(
            _("This email address does not look right."), field="email"
        ) from None
    if website:
        if "://" not in website:
            website = f"https://{website}"
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            raise InvalidCommentError(
                _("Please give a web address starting with http:// or https://."),
                field="website",
            ) from None
        if len(website) > 200:
            raise InvalidCommentError(
                _("Web addresses can be at most 200 characters."), field="website"
            )
    return Guest(name=name, email=email, website=website)


def post_comment(
    *,
    thread: Thread,
    state: str,
    rules: DiscussionSettings,
    viewer: Viewer,
    body: str,
    user: User | None = None,
    guest: Guest | None = None,
    parent_id: int | None = None,
    ip: str | None = None,
    idempotency_key: str | None = None,
    throttle: bool = True,
    notify: str = "",
) -> Comment:
    """Add a comment or reply to a thread and return it (approved or held).

    Preconditions: `state` is the thread's policies.thread_state; `user` is the
    signed-in author, else `guest` holds the typed identity and `viewer` carries
    the guest's browser token.  A repeated `idempotency_key` returns the comment
    the first submission made instead of a second one.  `notify` ("replies" or
    "all") is the author's wish for email, announced with `comment_posted`.
    Sends `comment_visible` on commit when the comment is approved at once.
    Raises a DiscussionError for closed threads, bad input, bad parents and
    rate limits, and BannedError when a ban refuses the poster; a shadow ban
    stores the comment held (HeldReason.BANNED) and its author sees it as
    published.
    """
    if state != SiteCommentsMode.OPEN:
        raise ThreadClosedError()
    # Everything that needs no database comes first, outside the transaction, so
    # the write lock (SQLite has one for the whole file) is held only briefly.
    text, html = _clean_body(body, rules)
    if user is None:
        if guest is None:
            raise InvalidCommentError(_("Please give a name."), field="name")
        guest = _clean_guest(guest)
        name, email, website = guest.name, guest.email, guest.website
    else:
        # Account names may be email addresses, which readers must never see.
        name = user.get_full_name() or user.get_username().split("@")[0]
        email, website = getattr(user, "email", ""), ""
    held_word = spam.find_held_word(f"{text}\n{name}\n{website}", rules.word_list())
    banned = check_not_banned(
        user_id=user.pk if user is not None else None,
        guest_token="" if user is not None else viewer.guest_token,
        ip=ip,
        email=email,
        email_proved=user is not None,
    )
    verdict = spamfilter.screen_comment(
        text=text,
        name=name,
        website=website,
        has_account=user is not None,
        email=email,
        guest_token="" if user is not None else viewer.guest_token,
    )
    comment = Comment(
        thread=thread,
        author=user if user is not None else None,
        author_name=name,
        author_email=email,
        author_website=website,
        guest_token="" if user is not None else viewer.guest_token,
        ip_address=ip,
        body_markdown=text,
        body_html=html,
        idempotency_key=idempotency_key or None,
        spam_score=verdict.score,
        spam_reasons=verdict.reasons,
        spam_facts=verdict.facts,
    )
    spam_action = verdict.action(likely=rules.spam_likely, possible=rules.spam_possible)
    try:
        if throttle:
            # Counted before the transaction: no cache I/O under the write lock.
            spam.check_rate(ip=ip, email=email)
        with transaction.atomic():
            _insert(
                comment, rules, state, parent_id, held_word, notify, banned, spam_action
            )
    except (IntegrityError, RateLimitedError):
        # A resent form (double click, retry) returns what the first one made;
        # the unique key, not a read before the write, is what makes it once.
        earlier = (
            Comment.objects.filter(thread=thread, idempotency_key=idempotency_key)
            .select_related("parent")
            .first()
            if idempotency_key
            else None
        )
        if earlier is None:
            raise
        return earlier
    return comment


def check_not_banned(
    *,
    user_id: int | None,
    guest_token: str,
    ip: str | None,
    email: str = "",
    email_proved: bool = False,
) -> bool:
    """Raise BannedError if a ban refuses this poster or voter; return True if
    one shadow-holds them (policies.ban_verdict), False if none applies.

    Reads the bans from this process's memory (selectors.list_active_bans).
    """
    verdict = policies.ban_verdict(
        selectors.list_active_bans(),
        user_id=user_id,
        guest_token=guest_token,
        ip=ip,
        email=email,
        email_proved=email_proved,
        now=clock.now(),
    )
    if verdict == BanMode.REFUSE:
        raise BannedError()
    return verdict == BanMode.SHADOW


def _insert(
    comment: Comment,
    rules: DiscussionSettings,
    state: str,
    parent_id: int | None,
    held_word: str | None,
    notify: str,
    banned: bool,
    spam_action: str,
) -> None:
    """post_comment's part inside the transaction: parent, status, row, counter."""
    thread = comment.thread
    is_guest = comment.author_id is None
    if parent_id is not None:
        # order_by(): one row by key, and building the model's default ORDER BY
        # costs more than the lookup itself.
        parents = (
            Comment.objects.select_for_update()
            .filter(pk=parent_id, thread_id=thread.pk)
            .order_by()
        )
        parent = next(iter(parents), None)
        if parent is None or not policies.can_reply(parent, state):
            raise InvalidReplyError(field="parent")
        comment.parent = parent
        comment.root_id = parent.root_id or parent.pk
        comment.depth = parent.depth + 1
    comment.status, comment.held_reason = policies.initial_status(
        policy=rules.moderation,
        is_guest=is_guest,
        # Asked only when the policy needs it: it is the costliest check.
        guest_is_trusted=is_guest
        and rules.moderation == ModerationPolicy.HOLD_FIRST_GUEST
        and selectors.is_trusted_guest(
            guest_token=comment.guest_token, email=comment.author_email
        ),
        held_word=held_word,
        banned=banned,
        spam_action=spam_action,
    )
    comment.save()
    if notify in NOTIFY_CHOICES:
        _announce_on_commit(signals.comment_posted, comment=comment, notify=notify)
    if comment.status == Status.APPROVED:
        thread.comment_count = _count_one_more(thread.pk)
        caching.invalidate_thread_pages(thread.page_id, thread)
        _announce_on_commit(signals.comment_visible, comment=comment)


def _count_one_more(thread_id: int) -> int:
    """Add one to a thread's counter and return the new count, in one statement
    (the ORM's update() returns no values; SQLite >= 3.35 and PostgreSQL both
    have RETURNING)."""
    table = connection.ops.quote_name(Thread._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET comment_count = comment_count + 1"  # noqa: S608
            " WHERE id = %s RETURNING comment_count",
            [thread_id],
        )
        return int(cursor.fetchone()[0])


@transaction.atomic
def edit_comment(
    *, comment: Comment, viewer: Viewer, body: str, rules: DiscussionSettings
) -> Comment:
    """Replace the text of the viewer's own comment within the edit window.

    Raises NotAllowedError after the window, for other people's comments, or
    when the browser's guest token no longer matches.  Marks it edited.
    """
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if not policies.can_edit(locked, viewer):
        raise NotAllowedError(
            _("This comment can no longer be edited from this browser."),
            code="edit_not_allowed",
        )
    locked.body_markdown, locked.body_html = _clean_body(body, rules)
    locked.edited_at = clock.now()
    locked.save(update_fields=["body_markdown", "body_html", "edited_at"])
    if locked.status == Status.APPROVED:
        caching.invalidate_thread_pages(locked.thread.page_id)
    return locked


def _change_status(
    comment: Comment,
    to: Status,
    *,
    action: Action,
    moderator: User | None,
    note: str = "",
    log: bool = True,
) -> Comment:
    """Move a locked comment to another status, keeping the thread count right.

    Sends `comment_visible` on commit when the comment becomes approved.
    """
    before = comment.status
    comment.status = to
    fields = ["status"]
    if to == Status.DELETED and comment.deleted_at is None:
        comment.deleted_at = clock.now()
        fields.append("deleted_at")
    if to == Status.APPROVED and comment.held_reason:
        comment.held_reason = HeldReason.NONE
        fields.append("held_reason")
    comment.save(update_fields=fields)
    delta = (to == Status.APPROVED) - (before == Status.APPROVED)
    if delta:
        Thread.objects.filter(pk=comment.thread_id).update(
            comment_count=F("comment_count") + delta
        )
        caching.invalidate_thread_pages(comment.thread.page_id)
    if to == Status.APPROVED and before != Status.APPROVED:
        _announce_on_commit(signals.comment_visible, comment=comment)
    if log:
        ModerationAction.objects.create(
            comment=comment,
            moderator=moderator,
            action=action,
            from_status=before,
            to_status=to,
            note=note[:300],
        )
    return comment


def release_comment(*, comment: Comment, note: str) -> Comment:
    """Approve a held comment without a moderator, because its author proved
    what the hold asked for; logged with `note`.

    Precondition: the caller holds the row lock inside a transaction.  Sends
    `comment_visible` on commit.
    """
    return _change_status(
        comment, Status.APPROVED, action=Action.APPROVE, moderator=None, note=note
    )


@transaction.atomic
def delete_comment(*, comment: Comment, viewer: Viewer) -> Comment:
    """Delete the viewer's own comment within the edit window.

    Soft delete: the row stays so that replies keep their place under a
    "This comment was deleted." placeholder.  Raises NotAllowedError otherwise.
    """
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if not policies.can_delete(locked, viewer):
        raise NotAllowedError(
            _("This comment can no longer be deleted from this browser."),
            code="delete_not_allowed",
        )
    return _change_status(
        locked, Status.DELETED, action=Action.DELETE, moderator=None, log=False
    )


def vote(
    *,
    comment: Comment,
    viewer: Viewer,
    value: int,
    state: str,
    rules: DiscussionSettings | None = None,
    ip: str | None = None,
) -> Comment:
    """Set the viewer's vote on a comment to +1, -1, or 0 (withdraw).

    The unique constraint on (comment, voter) decides races: a concurrent
    duplicate insert fails and is retried as an update of the row that won.
    Counters change with F() in the same transaction.  Returns the comment with
    fresh counters.  Raises NotAllowedError for own comments, closed threads,
    hidden comments, or a value outside -1..1, BannedError for a voter a
    ban refuses (a shadow-banned voter's vote changes nothing), and
    RateLimitedError when the client's network has voted more than `rules`
    allow this hour (counted even when refused; no limit without `rules`).
    """
    if value not in (-1, 0, 1):
        raise InvalidCommentError(_("A vote is up, down or none."), code="bad_vote")
    key = viewer.key
    if key is None or not policies.can_vote(comment, viewer, state):
        raise NotAllowedError(
            _("You cannot vote on this comment."), code="vote_not_allowed"
        )
    if check_not_banned(user_id=viewer.user_id, guest_token=viewer.guest_token, ip=ip):
        # A shadow-banned voter's vote is not counted; the answer looks the same.
        return comment
    if rules is not None:
        spam.check_vote_rate(ip=ip, rules=rules)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _apply_vote(comment, key, value)
        except IntegrityError:
            continue
    raise IntegrityError("vote kept conflicting")  # pragma: no cover


def _apply_vote(comment: Comment, key: str, value: int) -> Comment:
    existing = (
        Vote.objects.select_for_update().filter(comment=comment, voter=key).first()
    )
    old = existing.value if existing else 0
    if existing is None and value:
        Vote.objects.create(comment=comment, voter=key, value=value)
    elif existing is not None and value == 0:
        existing.delete()
    elif existing is not None and value != old:
        existing.value = value
        existing.save(update_fields=["value"])
    up = (value == 1) - (old == 1)
    down = (value == -1) - (old == -1)
    if up or down:
        Comment.objects.filter(pk=comment.pk).update(
            upvotes=F("upvotes") + up,
            downvotes=F("downvotes") + down,
            score=F("score") + up - down,
        )
        # The UPDATE holds the row lock, so this read sees the final counts.
        fresh = Comment.objects.values("upvotes", "downvotes").get(pk=comment.pk)
        rank = ranking.wilson_lower_bound(fresh["upvotes"], fresh["downvotes"])
        Comment.objects.filter(pk=comment.pk).update(rank=rank)
        caching.invalidate_thread_pages(comment.thread.page_id)
    comment.refresh_from_db(fields=["upvotes", "downvotes", "score", "rank"])
    return comment


@transaction.atomic
def report_comment(
    *,
    comment: Comment,
    viewer: Viewer,
    rules: DiscussionSettings,
    reason: str = "",
    ip: str | None = None,
) -> Report:
    """Record a reader's report; enough counted reports hold the comment for review.

    A repeated report by the same reader returns the first one.  A report
    counts when the reporter costs something to fake (policies.report_counts);
    the comment is held once counted reports from `rules.reports_to_hide`
    different networks (IPv4 address or IPv6 /64) are in.  Raises
    NotAllowedError for own or hidden comments, RateLimitedError when the
    client's network reported more than `rules` allow this hour.
    """
    key = viewer.key
    if key is None or not policies.can_report(comment, viewer):
        raise NotAllowedError(
            _("You cannot report this comment."), code="report_not_allowed"
        )
    spam.check_report_rate(ip=ip, rules=rules)
    network = ratelimit.client_key(ip) or ""
    try:
        with transaction.atomic():
            report = Report.objects.create(
                comment=comment,
                reporter=key,
                reason=(reason or "")[:300],
                network=network,
                counted=policies.report_counts(
                    viewer,
                    rules,
                    email_verified=selectors.guest_has_verified_email(
                        guest_token=viewer.guest_token
                    ),
                ),
            )
    except IntegrityError:
        return Report.objects.get(comment=comment, reporter=key)
    if not report.counted:
        return report
    Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    networks = (
        Report.objects.filter(comment=locked, counted=True)
        .exclude(network="")
        .values("network")
        .distinct()
        .count()
    )
    if networks >= rules.reports_to_hide and locked.status == Status.APPROVED:
        locked.held_reason = HeldReason.REPORTS
        locked.save(update_fields=["held_reason"])
        _change_status(
            locked,
            Status.PENDING,
            action=Action.HOLD,
            moderator=None,
            note=_("Hidden after %(n)d reader reports.") % {"n": locked.report_count},
        )
    return report


_ACTION_STATUS = {
    Action.APPROVE: Status.APPROVED,
    Action.SPAM: Status.SPAM,
    Action.DELETE: Status.DELETED,
    Action.HOLD: Status.PENDING,
}


@transaction.atomic
def moderate_comments(
    *,
    comment_ids: Iterable[int],
    action: Action,
    moderator: User,
    note: str = "",
) -> list[Comment]:
    """Approve, mark as spam, delete or hold comments, logging each change.

    Precondition: the caller checked that `moderator` may moderate.  Comments
    already in the target status are left alone and not logged.
    """
    if action not in _ACTION_STATUS:
        raise InvalidCommentError(_("Unknown moderation action."), code="bad_action")
    target = _ACTION_STATUS[action]
    changed = []
    for comment in Comment.objects.select_for_update().filter(pk__in=list(comment_ids)):
        if comment.status == target:
            continue
        changed.append(
            _change_status(
                comment, target, action=action, moderator=moderator, note=note
            )
        )
    return changed


_STATUS_ACTION = {status: action for action, status in _ACTION_STATUS.items()}


@transaction.atomic
def undo_moderation(*, comment_ids: Iterable[int], moderator: User) -> list[Comment]:
    """Put comments back in the status they had before this moderator's last
    status change, logging the restoring step like any other moderation.

    A comment is left alone when its last logged status change was not made by
    `moderator` or when its status moved on since (someone else acted).
    Precondition: the caller checked that `moderator` may moderate.
    """
    restored = []
    for comment in Comment.objects.select_for_update().filter(pk__in=list(comment_ids)):
        last = (
            comment.moderation_actions.filter(action__in=list(_ACTION_STATUS))
            .order_by("-created_at", "-id")
            .first()
        )
        if (
            last is None
            or last.moderator_id != moderator.pk
            or last.to_status != comment.status
            or not last.from_status
            or last.from_status == comment.status
        ):
            continue
        before = Status(last.from_status)
        if comment.status == Status.DELETED and comment.deleted_at is not None:
            # Undoing a delete brings the comment back, not a tombstone.
            comment.deleted_at = None
            comment.save(update_fields=["deleted_at"])
        restored.append(
            _change_status(
                comment,
                before,
                action=_STATUS_ACTION[before],
                moderator=moderator,
                note=_("Undo"),
            )
        )
    return restored


@transaction.atomic
def moderate_edit_comment(
    *, comment: Comment, moderator: User, body: str, note: str = ""
) -> Comment:
    """Replace a comment's text as a moderator (no window, no link limit), logged."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    text = (body or "").strip()
    if not text:
        raise InvalidCommentError(_("Please write a comment."), field="body")
    locked.body_markdown = text
    locked.body_html = rendering.render_markdown(text)
    locked.save(update_fields=["body_markdown", "body_html"])
    if locked.status == Status.APPROVED:
        caching.invalidate_thread_pages(locked.thread.page_id)
    ModerationAction.objects.create(
        comment=locked,
        moderator=moderator,
        action=Action.EDIT,
        from_status=locked.status,
        to_status=locked.status,
        note=note[:300],
    )
    return locked


def recount_thread(*, thread: Thread) -> Thread:
    """Recompute the stored comment count from the comments (repairs drift)."""
    count = thread.comments.filter(status=Status.APPROVED).count()
    Thread.objects.filter(pk=thread.pk).update(comment_count=count)
    thread.comment_count = count
    return thread
