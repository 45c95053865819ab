"""This app's mails: build each from its templates and queue it through mailing.

The only module of the app that queues mail (confirmations, manage links,
comment notices, digests); it writes no rows of its own. The services decide
when a mail is due (services.py, announcements.py).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from tribune.core import clock
from tribune.discussion.models import Comment
from tribune.mailing import services as mailing
from tribune.mailing.addresses import unsubscribe_headers
from tribune.subscriptions import conf, selectors, tokens
from tribune.subscriptions.models import (
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


def comment_context(comment: Comment) -> dict[str, Any]:
    return {
        "comment": comment,
        "article": comment.thread.page,
        # body_html was sanitised (nh3) when the comment was saved.
        "body_html": comment.body_html,
        "body_text": html.unescape(strip_tags(comment.body_html)).strip(),
        "link": comment_link(comment),
        "reply_link": comment_link(comment, replyto=comment.pk),
    }


def queue_confirmation(*, email: str) -> bool:
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


def queue_manage_link(*, email: str) -> bool:
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


def queue_comment_notice(
    comment: Comment, recipient: selectors.Recipient, base: dict[str, Any]
) -> None:
    """Queue one instant notice of a comment (dedupe key "comment:<id>").

    `base` is `comment_context(comment)`, built once for every recipient.
    """
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


def queue_digest(email: str, day: dt.date, comments: Sequence[Comment]) -> None:
    """Queue one address's digest of the day (dedupe key "digest:<day>")."""
    token = tokens.unsubscribe_token(email, digest=True)
    unsubscribe = _absolute(reverse("subscriptions:unsubscribe", args=[token]))
    articles: dict[int, dict[str, Any]] = {}
    for comment in comments:
        entry = articles.setdefault(
            comment.thread_id, {"article": comment.thread.page, "comments": []}
        )
        entry["comments"].append(comment_context(comment))
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
