"""Writes for a person's own data: deleting their comments, erasing and restoring
what the discussion holds about them, and forgetting old IP addresses.

Callers (the self-service app) have checked who the person is; these functions
take the address and account they proved.  The holding returned by
`erase_author` is plain JSON, kept by the caller until it is purged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext

from tribune.core import clock
from tribune.discussion import authored, caching
from tribune.discussion.models import (
    Action,
    Comment,
    EmailVerification,
    ModerationAction,
    Report,
    Status,
    Thread,
    Vote,
)

# The comment fields that say who wrote it; erasure empties them all.
_PERSON_FIELDS = (
    "author_id",
    "author_name",
    "author_email",
    "author_website",
    "guest_token",
    "ip_address",
)
_BODY_FIELDS = ("status", "deleted_at", "body_markdown", "body_html")


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _recount(comment: Comment, before: str) -> None:
    """Keep the thread's counter of approved comments right after a status change."""
    delta = (comment.status == Status.APPROVED) - (before == Status.APPROVED)
    if delta:
        Thread.objects.filter(pk=comment.thread_id).update(
            comment_count=F("comment_count") + delta
        )


@transaction.atomic
def delete_authored_comment(*, comment: Comment) -> Comment:
    """Delete a comment of the person at any time (after the edit window too).

    Precondition: the caller found the comment with
    authored.get_authored_comment.  Soft delete, as the author's own delete
    within the window: replies keep their place.  Drops cached pages on commit.
    """
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.status == Status.DELETED:
        return locked
    before = locked.status
    locked.status = Status.DELETED
    locked.deleted_at = clock.now()
    locked.save(update_fields=["status", "deleted_at"])
    _recount(locked, before)
    caching.invalidate_thread_pages(comment.thread.page_id)
    return locked


def _erased_name() -> str:
    # Stored once in the site's language: every page, mail and API answer that
    # names an author then shows this instead of an empty name.
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Former reader")


def _hold_comment(comment: Comment) -> dict[str, Any]:
    held: dict[str, Any] = {"id": comment.pk}
    for name in (*_PERSON_FIELDS, *_BODY_FIELDS):
        held[name] = getattr(comment, name)
    held["deleted_at"] = _when(comment.deleted_at)
    return held


def _erase_comments(comments: list[Comment], remove: bool) -> None:
    name = _erased_name()
    now = clock.now()
    for comment in comments:
        before = comment.status
        comment.author_id = None
        comment.author_name = name
        comment.author_email = comment.author_website = comment.guest_token = ""
        comment.ip_address = None
        if remove:
            comment.body_markdown = comment.body_html = ""
            comment.status = Status.DELETED
            comment.deleted_at = comment.deleted_at or now
        comment.save(update_fields=[*_PERSON_FIELDS, *_BODY_FIELDS])
        _recount(comment, before)


def _hold_account(user_id: int | None) -> dict[str, Any] | None:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        return None
    held = {
        "id": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "password": user.password,
        "is_active": user.is_active,
    }
    user.username = f"erased-{user.pk}"
    user.email = user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.save()
    return held


@transaction.atomic
def erase_author(*, email: str, user_id: int | None, remove: bool) -> dict[str, Any]:
    """Take the person out of the discussion and return what undoing needs.

    Every comment written with the address or account loses its author's
    name, address, website, browser token and IP address; with `remove` its
    text goes too and it shows as deleted.  Their votes and reports are
    deleted while the comments keep their counts; their address checks go;
    the account is emptied and closed.  Moderators' bans stay.  Drops every
    affected thread's cached pages on commit.  The returned holding is JSON.
    """
    comments = list(
        authored.list_authored_comments(email=email, user_id=user_id)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    keys = authored.voter_keys(email=email, user_id=user_id)
    tokens = [key[2:] for key in keys if key.startswith("g:")]
    votes = list(authored.list_votes(keys=keys))
    reports = list(authored.list_reports(keys=keys))
    checks = list(
        EmailVerification.objects.filter(
            Q(email=email.strip().lower()) | Q(guest_token__in=tokens)
        ).order_by("pk")
    )
    held = {
        "remove": remove,
        "comments": [_hold_comment(c) for c in comments],
        "votes": [
            {
                **_row(v, "comment_id", "voter", "value"),
                "created_at": _when(v.created_at),
            }
            for v in votes
        ],
        "reports": [
            {
                **_row(r, "comment_id", "reporter", "reason", "network", "counted"),
                "created_at": _when(r.created_at),
            }
            for r in reports
        ],
        "verifications": [
            {
                **_row(e, "email", "guest_token"),
                "created_at": _when(e.created_at),
                "verified_at": _when(e.verified_at),
            }
            for e in checks
        ],
        "account": _hold_account(user_id),
    }
    _erase_comments(comments, remove)
    Vote.objects.filter(pk__in=[v.pk for v in votes]).delete()
    Report.objects.filter(pk__in=[r.pk for r in reports]).delete()
    EmailVerification.objects.filter(pk__in=[e.pk for e in checks]).delete()
    for page_id in {c.thread.page_id for c in comments}:
        caching.invalidate_thread_pages(page_id)
    return held


def _row(obj: Any, *names: str) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _restore_account(held: dict[str, Any] | None) -> None:
    if not held:
        return
    get_user_model().objects.filter(pk=held["id"]).update(
        **{k: v for k, v in held.items() if k != "id"}
    )


@transaction.atomic
def restore_author(*, held: dict[str, Any]) -> int:
    """Put back what `erase_author` took, from its holding; returns comments restored.

    Comments deleted meanwhile by a moderator stay deleted; votes and reports
    whose comment is gone are skipped.  Counts were kept, so none change
    except the thread counters of comments that come back.
    """
    _restore_account(held.get("account"))
    restored = 0
    by_id = {c["id"]: c for c in held.get("comments", [])}
    rows = Comment.objects.select_for_update().filter(pk__in=list(by_id))
    for comment in rows.select_related("thread__page"):
        before = comment.status
        data = by_id[comment.pk]
        for name in _PERSON_FIELDS:
            setattr(comment, name, data[name])
        fields = list(_PERSON_FIELDS)
        if held.get("remove") and comment.body_markdown == "":
            comment.body_markdown, comment.body_html = (
                data["body_markdown"],
                data["body_html"],
            )
            comment.status, comment.deleted_at = (
                data["status"],
                _parse(data["deleted_at"]),
            )
            fields += list(_BODY_FIELDS)
        comment.save(update_fields=fields)
        _recount(comment, before)
        caching.invalidate_thread_pages(comment.thread.page_id)
        restored += 1
    existing = set(
        Comment.objects.filter(pk__in=_ids(held)).values_list("pk", flat=True)
    )
    Vote.objects.bulk_create(
        [
            Vote(**{**v, "created_at": _parse(v["created_at"])})
            for v in held.get("votes", [])
            if v["comment_id"] in existing
        ],
        ignore_conflicts=True,
    )
    Report.objects.bulk_create(
        [
            Report(**{**r, "created_at": _parse(r["created_at"])})
            for r in held.get("reports", [])
            if r["comment_id"] in existing
        ],
        ignore_conflicts=True,
    )
    EmailVerification.objects.bulk_create(
        EmailVerification(
            **{
                **e,
                "created_at": _parse(e["created_at"]),
                "verified_at": _parse(e["verified_at"]),
            }
        )
        for e in held.get("verifications", [])
    )
    return restored


def _ids(held: dict[str, Any]) -> set[int]:
    return {
        row["comment_id"] for row in [*held.get("votes", []), *held.get("reports", [])]
    }


@transaction.atomic
def purge_account(*, held: dict[str, Any]) -> int:
    """Delete for good the closed account an erasure emptied; returns 0 or 1.

    Its comments were detached by `erase_author` already.
    """
    account = held.get("account")
    if not account:
        return 0
    deleted, _detail = (
        get_user_model()
        .objects.filter(pk=account["id"], is_active=False, email="")
        .delete()
    )
    return 1 if deleted else 0


@transaction.atomic
def log_erasure() -> ModerationAction:
    """Record in the moderators' log that a person erased their data, not what."""
    return ModerationAction.objects.create(action=Action.ERASE)


@transaction.atomic
def forget_ip_addresses(*, before: dt.datetime) -> int:
    """Remove commenters' IP addresses and reporters' networks older than `before`.

    Returns the number of comments whose address was removed.  Nothing shown
    changes, so no cached page is dropped.
    """
    Report.objects.filter(created_at__lt=before).exclude(network="").update(network="")
    return Comment.objects.filter(
        created_at__lt=before, ip_address__isnull=False
    ).update(ip_address=None)
