"""Reads of the subscriptions app: an address's subscriptions, who gets a comment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from tribune.core import generations
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment
from tribune.mailing.addresses import normalize_address
from tribune.subscriptions import conf
from tribune.subscriptions.models import Delivery, Scope, Subscription


def list_subscriptions(email: str) -> QuerySet[Subscription]:
    """Every subscription of an address, confirmed or not, with what it is about."""
    return (
        Subscription.objects.filter(email=normalize_address(email))
        .select_related("thread__page", "comment__thread__page")
        .order_by("created_at", "pk")
    )


def list_reader_subscriptions(
    viewer: Viewer, page_id: int, email: str
) -> list[dict[str, Any]]:
    """A reader's subscriptions about one article (discussion's reader state):
    their account's, or their own address's (`email` is the reader's, never
    typed by someone else). One query."""
    mine = Q(user_id=viewer.user_id) if viewer.user_id is not None else Q(pk__in=[])
    if email:
        mine |= Q(email=normalize_address(email))
    found = (
        Subscription.objects.filter(mine)
        .filter(Q(thread__page_id=page_id) | Q(comment__thread__page_id=page_id))
        .order_by("created_at", "pk")
        .values("scope", "delivery", "comment_id", "confirmed_at")
    )
    return [
        {
            "scope": row["scope"],
            "delivery": row["delivery"],
            "comment": row["comment_id"],
            "confirmed": row["confirmed_at"] is not None,
        }
        for row in found
    ]


def pending_subscriptions(email: str, *, now: dt.datetime) -> QuerySet[Subscription]:
    """An address's unconfirmed subscriptions young enough to be confirmed."""
    return list_subscriptions(email).filter(
        confirmed_at__isnull=True,
        created_at__gt=now - dt.timedelta(days=conf.confirm_days()),
    )


@dataclass
class Recipient:
    """One address to tell about a comment, and the subscriptions that matched."""

    email: str
    instant: bool = False
    replies: bool = False
    subscription_ids: list[int] = field(default_factory=list)


def _matching(comment: Comment) -> QuerySet[Subscription]:
    """Confirmed subscriptions a comment concerns, its author's own left out."""
    match = Q(scope=Scope.THREAD, thread_id=comment.thread_id)
    parent = comment.parent
    if parent is not None:
        match |= Q(scope=Scope.COMMENT, comment_id=parent.pk)
        owners = Q(email=normalize_address(parent.author_email or "-"))
        if parent.author_id is not None:
            owners |= Q(user_id=parent.author_id)
        match |= Q(scope=Scope.MY_REPLIES) & owners
    author = {normalize_address(comment.author_email or "")}
    if comment.author is not None:
        author.add(normalize_address(comment.author.email or ""))
    return Subscription.objects.filter(match, confirmed_at__isnull=False).exclude(
        email__in=author - {""}
    )


# Bumped on every change to a subscription (receivers.subscription_changed).
GENERATION = "subscriptions:generation"
KEEP_SECONDS = 300


def has_recipients(comment: Comment) -> bool:
    """Whether anyone may have to be told about a comment.

    Only subscriptions to the report can match a top-level comment, so whether
    a thread has any is remembered per process until a subscription changes.
    A reply first asks one prepared statement whether any subscription could
    match, its author included; only then the exact query runs.
    """
    parent = comment.parent
    if parent is None:
        if not _thread_has_subscribers(comment.thread_id):
            return False
    elif not _any_for_reply(comment.thread_id, parent):
        return False
    return _matching(comment).exists()


def _any_for_reply(thread_id: int, parent: Comment) -> bool:
    """_matching for a reply without leaving out its author, written out: the
    ORM takes several times longer to build it than the database to answer."""
    table = connection.ops.quote_name(Subscription._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE confirmed_at IS NOT NULL AND ("  # noqa: S608
            " (scope = %s AND thread_id = %s) OR (scope = %s AND comment_id = %s)"
            " OR (scope = %s AND (email = %s OR user_id = %s))) LIMIT 1",
            [
                Scope.THREAD.value,
                thread_id,
                Scope.COMMENT.value,
                parent.pk,
                Scope.MY_REPLIES.value,
                normalize_address(parent.author_email or "-"),
                parent.author_id,
            ],
        )
        return cursor.fetchone() is not None


def _thread_has_subscribers(thread_id: int) -> bool:
    return generations.remember(
        GENERATION,
        f"subscriptions:thread:{thread_id}",
        lambda: Subscription.objects.filter(
            scope=Scope.THREAD, thread_id=thread_id, confirmed_at__isnull=False
        ).exists(),
        KEEP_SECONDS,
    )


def recipients_for(comment: Comment) -> list[Recipient]:
    """Who is told about a visible comment: one entry per address.

    Confirmed subscriptions to the comment's report, to its parent, and to
    "replies to my comments" of the parent's author match. The comment's own
    author is left out. An address with any instant subscription among its
    matches is told at once; otherwise its digest gets the comment.
    """
    rows = (
        _matching(comment)
        .order_by("pk")
        .values_list("pk", "email", "scope", "delivery", "user_id")
    )
    found: dict[str, Recipient] = {}
    for pk, email, scope, delivery, user_id in rows:
        if comment.author_id is not None and user_id == comment.author_id:
            continue
        recipient = found.setdefault(email, Recipient(email=email))
        recipient.subscription_ids.append(pk)
        recipient.instant |= delivery == Delivery.INSTANT
        recipient.replies |= scope != Scope.THREAD
    return list(found.values())
