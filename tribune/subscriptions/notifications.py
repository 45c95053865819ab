"""The only module of the app that queues mail: confirmations, notices, digests."""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from tribune.core import clock
from tribune.discussion.models import Comment, Status
from tribune.mailing import services as mailing
from tribune.mailing.addresses import unsubscribe_headers
from tribune.subscriptions import conf, selectors, tokens
from tribune.subscriptions.models import (
    Announcement,
    Digest,
    DigestItem,
    Subscription,
)

logger = logging.getLogger(__name__)
CONFIRM_PURPOSE = "subscriptions.confirm"
MANAGE_PURPOSE = "subscriptions.manage"


def _absolute(path: str) -> str:
    return f"{conf.base_url()}{path}"


def comment_link(comment: Comment, **query: int) -> str:
    """The absolute permalink of a comment (or its reply form, with replyto)."""
    page = comment.thread.page
    parts = page.get_url_parts()
    path = parts[2] if parts else "/"
    query = query or {"comment": comment.pk}
    anchor = "comment-form" if "replyto" in query else f"comment-{comment.pk}"
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return _absolute(f"{path}?{params}#{anchor}")


def manage_link(email: str) -> str:
    """The absolute "manage my subscriptions" link of an address."""
    token = tokens.manage_token(email)
    return _absolute(reverse("subscriptions:manage", args=[token]))


def _comment_context(comment: Comment) -> dict[str, Any]:
    return {
        "comment": comment,
        "article": comment.thread.page,
        # body_html was sanitised (nh3) when the comment was saved.
        "body_html": comment.body_html,
        "body_text": html.unescape(strip_tags(comment.body_html)).strip(),
        "link": comment_link(comment),
        "reply_link": comment_link(comment, replyto=comment.pk),
    }


def request_confirmation(*, email: str) -> bool:
    """Queue the confirmation mail for an address's pending subscriptions.

    At most one per address per SUBSCRIPTIONS_CONFIRM_INTERVAL, whatever is
    asked: mailing's rate guard decides, across processes. Returns whether a
    mail was queued. Sends on commit (the worker delivers).
    """
    if not mailing.allow_send(
        email=email, purpose=CONFIRM_PURPOSE, per=conf.confirm_interval_seconds()
    ):
        return False
    now = clock.now()
    token = tokens.confirm_token(email)
    context = {
        "subscriptions": list(selectors.pending_subscriptions(email, now=now)),
        "confirm_link": _absolute(reverse("subscriptions:confirm", args=[token])),
        "days": conf.confirm_days(),
        "email": email,
    }
    mailing.queue_templated_email(
        "subscriptions/mail/confirm",
        to=email,
        context=context,
        dedupe_key=f"confirm:{now.isoformat()}",
    )
    return True


def send_manage_link(*, email: str) -> bool:
    """Mail an address the link to its subscriptions, if it has any.

    At most one per address per SUBSCRIPTIONS_CONFIRM_INTERVAL (mailing's
    rate guard); an address without subscriptions gets nothing, and the
    caller tells the reader the same either way. Returns whether a mail was
    queued.
    """
    if not selectors.list_subscriptions(email).exists():
        return False
    if not mailing.allow_send(
        email=email, purpose=MANAGE_PURPOSE, per=conf.confirm_interval_seconds()
    ):
        return False
    context = {
        "email": email,
        "manage_link": manage_link(email),
        "days": conf.manage_link_days(),
    }
    mailing.queue_templated_email(
        "subscriptions/mail/manage",
        to=email,
        context=context,
        dedupe_key=f"manage:{clock.now().isoformat()}",
    )
    return True


def notify_comment(*, comment_id: int) -> int:
    """Tell every subscriber about a comment that became visible.

    Runs in the worker. Instant subscribers get one mail per comment (dedupe
    key "comment:<id>", whatever number of their subscriptions match);
    digest subscribers get a digest item. Nothing is sent if the comment is
    no longer visible. Marks the comment's announcement done. Returns the
    number of addresses reached.
    """
    comment = (
        Comment.objects.select_related("thread__page", "parent", "author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    recipients = []
    if comment.status == Status.APPROVED and comment.thread.page.live:
        recipients = selectors.recipients_for(comment)
        context = _comment_context(comment)
        for recipient in recipients:
            with transaction.atomic():
                if recipient.instant:
                    _queue_notice(comment, recipient, context)
                else:
                    DigestItem.objects.get_or_create(
                        email=recipient.email, comment=comment
                    )
    Announcement.objects.filter(comment=comment).update(done_at=clock.now())
    return len(recipients)


def _queue_notice(
    comment: Comment, recipient: selectors.Recipient, base: dict[str, Any]
) -> None:
    token = tokens.unsubscribe_token(
        recipient.email, subscription_ids=tuple(recipient.subscription_ids)
    )
    unsubscribe = _absolute(reverse("subscriptions:unsubscribe", args=[token]))
    context = {
        **base,
        "replies": recipient.replies,
        "unsubscribe_link": unsubscribe,
        "manage_link": manage_link(recipient.email),
    }
    mailing.queue_templated_email(
        "subscriptions/mail/comment",
        to=recipient.email,
        context=context,
        headers=unsubscribe_headers(unsubscribe),
        dedupe_key=f"comment:{comment.pk}",
    )


def send_digests(*, now: dt.datetime) -> int:
    """Queue today's digest for every address with waiting items.

    From SUBSCRIPTIONS_DIGEST_HOUR (local time) on, each address gets one
    digest a day (a unique Digest row per address and day) with the items
    that waited since its last one; comments no longer visible, or no longer
    matched by any of the address's subscriptions, are left out.
    Items arriving after today's digest wait for tomorrow's. Returns the
    number of digests queued.
    """
    local = timezone.localtime(now)
    if local.hour < conf.digest_hour():
        return 0
    day = local.date()
    emails = (
        DigestItem.objects.filter(digest__isnull=True)
        .values_list("email", flat=True)
        .distinct()
        .order_by("email")
    )
    sent = 0
    # Comment id -> addresses whose confirmed subscriptions still match it.
    wanted: dict[int, set[str]] = {}
    for email in list(emails):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    digest = Digest.objects.create(email=email, day=day)
            except IntegrityError:
                continue  # today's digest for this address exists already
            items = list(
                DigestItem.objects.select_for_update()
                .filter(email=email, digest__isnull=True)
                .order_by("created_at", "pk")
            )
            DigestItem.objects.filter(pk__in=[i.pk for i in items]).update(
                digest=digest
            )
            comments = [
                comment
                for comment in Comment.objects.select_related(
                    "thread__page", "parent", "author"
                )
                .filter(pk__in=[i.comment_id for i in items], status=Status.APPROVED)
                .order_by("thread_id", "created_at", "pk")
                if email in _wanted_by(comment, wanted)
            ]
            if comments:
                _queue_digest(email, day, comments)
                sent += 1
    return sent


def _wanted_by(comment: Comment, cache: dict[int, set[str]]) -> set[str]:
    """Addresses still subscribed to a comment (unsubscribed since: left out)."""
    if comment.pk not in cache:
        cache[comment.pk] = {r.email for r in selectors.recipients_for(comment)}
    return cache[comment.pk]


def _queue_digest(email: str, day: dt.date, comments: Sequence[Comment]) -> None:
    token = tokens.unsubscribe_token(email, digest=True)
    unsubscribe = _absolute(reverse("subscriptions:unsubscribe", args=[token]))
    articles: dict[int, dict[str, Any]] = {}
    for comment in comments:
        entry = articles.setdefault(
            comment.thread_id, {"article": comment.thread.page, "comments": []}
        )
        entry["comments"].append(_comment_context(comment))
    context = {
        "articles": list(articles.values()),
        "count": len(comments),
        "day": day,
        "unsubscribe_link": unsubscribe,
        "manage_link": manage_link(email),
    }
    mailing.queue_templated_email(
        "subscriptions/mail/digest",
        to=email,
        context=context,
        headers=unsubscribe_headers(unsubscribe),
        dedupe_key=f"digest:{day.isoformat()}",
    )


def describe(subscription: Subscription) -> str:
    """A one-line description of a subscription, for pages and mail."""
    if subscription.thread_id is not None:
        return _("New comments on “%(title)s”") % {
            "title": subscription.thread.page.title  # type: ignore[union-attr]
        }
    if subscription.comment_id is not None:
        return _("Replies to your comment on “%(title)s”") % {
            "title": subscription.comment.thread.page.title  # type: ignore[union-attr]
        }
    return _("Replies to your comments on any report")
