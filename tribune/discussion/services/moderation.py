"""Writes of moderation: status changes, reader reports that hold a comment,
moderators' actions and their undo."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from tribune.core import clock, ratelimit
from tribune.discussion import caching, policies, rendering, selectors, signals, spam
from tribune.discussion.errors import InvalidCommentError, NotAllowedError
from tribune.discussion.identity import Viewer
from tribune.discussion.models import (
    Action,
    Comment,
    DiscussionSettings,
    HeldReason,
    ModerationAction,
    Report,
    Status,
    Thread,
)


def change_status(
    comment: Comment,
    to: Status,
    *,
    action: Action,
    moderator: User | None,
    note: str = "",
    log: bool = True,
) -> Comment:
    """Move a locked comment to another status, keeping the thread count right.

    Sends `comment_visible` on commit when the comment becomes approved, and
    `comment_shown` at once (inside the caller's transaction).
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
        signals.send_in_transaction(signals.comment_shown, comment=comment)
        signals.send_on_commit(signals.comment_visible, comment=comment)
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
    return change_status(
        comment, Status.APPROVED, action=Action.APPROVE, moderator=None, note=note
    )


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
        change_status(
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
            change_status(
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
            change_status(
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
