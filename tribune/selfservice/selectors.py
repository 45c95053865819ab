"""Reads of "Your page": what the site holds for a person, on screen and as JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tribune.core import clock
from tribune.discussion import authored, policies
from tribune.discussion.models import Action, Comment, ModerationAction
from tribune.funding import donor_selectors, receipts
from tribune.funding.donor_selectors import Gift
from tribune.mailing import selectors as mailing
from tribune.mailing.models import Suppression
from tribune.newsletter import selectors as newsletter
from tribune.newsletter.models import Subscriber
from tribune.selfservice.identity import Person
from tribune.selfservice.models import Erasure
from tribune.subscriptions import selectors as subscriptions
from tribune.subscriptions.emails import describe
from tribune.subscriptions.models import Subscription

EXPORT_FORMAT = "tribune-your-data/1"


@dataclass(frozen=True)
class CommentRow:
    """One of the person's comments as the page lists it."""

    comment: Comment
    title: str
    url: str
    # What its author is shown: a shadow-held comment looks published.
    status: str
    editable: bool
    deletable: bool


@dataclass(frozen=True)
class SubscriptionRow:
    subscription: Subscription
    text: str


@dataclass(frozen=True)
class StatementLink:
    """One year's statement of the person's gifts, as a page and a PDF."""

    year: int
    url: str
    pdf_url: str


@dataclass(frozen=True)
class Overview:
    """Everything the page shows for a person."""

    person: Person
    comments: list[CommentRow]
    subscriptions: list[SubscriptionRow]
    newsletter: Subscriber | None
    gifts: list[Gift]
    statements: list[StatementLink]
    suppression: Suppression | None
    erasures: list[Erasure]
    # Whether a donor's comments show the supporter badge; None without gifts.
    badge_shown: bool | None = None


def _comment_rows(person: Person, now: dt.datetime) -> list[CommentRow]:
    rows = []
    for comment in authored.list_authored_comments(
        email=person.email, user_id=person.user_id
    ):
        page = comment.thread.page
        within = now < policies.edit_deadline(comment)
        # The discussion knows an author by account or browser token; a
        # comment with neither (imported) can only be deleted.
        live = comment.status in ("approved", "pending") and bool(
            comment.author_id or comment.guest_token
        )
        rows.append(
            CommentRow(
                comment=comment,
                title=page.title,
                url=f"{page.url or ''}?comment={comment.pk}#comment-{comment.pk}",
                status=policies.apparent_status(comment),
                editable=live and within,
                deletable=comment.status != "deleted",
            )
        )
    return rows


def get_overview(person: Person) -> Overview:
    """The person's comments, subscriptions, gifts, mail state and pending
    erasures.  A fixed number of queries, whatever their number."""
    now = clock.now()
    gifts = donor_selectors.list_gifts_for_email(person.email)
    return Overview(
        person=person,
        comments=_comment_rows(person, now),
        subscriptions=[
            SubscriptionRow(subscription=s, text=describe(s))
            for s in subscriptions.list_subscriptions(person.email)
        ],
        newsletter=newsletter.get_subscriber(person.email),
        gifts=gifts,
        statements=list_statements(person),
        suppression=mailing.get_suppression(person.email),
        erasures=list_pending_erasures(person),
        badge_shown=donor_selectors.badge_shown(person.email) if gifts else None,
    )


def list_statements(person: Person) -> list[StatementLink]:
    """A statement for each year the address gave in, newest first (one query)."""
    return [
        StatementLink(
            year=year,
            url=receipts.statement_url(person.email, year),
            pdf_url=receipts.statement_pdf_url(person.email, year),
        )
        for year in donor_selectors.years_with_gifts(person.email)
    ]


def list_pending_erasures(person: Person) -> list[Erasure]:
    """The person's erasures that can still be undone, newest first."""
    return list(
        Erasure.objects.filter(email=person.email, undo_until__gt=clock.now()).order_by(
            "-created_at", "-pk"
        )
    )


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _export_comment(comment: Comment) -> dict[str, Any]:
    page = comment.thread.page
    return {
        "id": comment.pk,
        "report": page.title,
        "report_url": page.full_url or "",
        "in_reply_to": comment.parent_id,
        "status": policies.apparent_status(comment),
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_website": comment.author_website,
        "ip_address": comment.ip_address,
        "text": comment.body_markdown,
        "created_at": _when(comment.created_at),
        "edited_at": _when(comment.edited_at),
        "deleted_at": _when(comment.deleted_at),
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
    }


def _export_gift(gift: Gift) -> dict[str, Any]:
    return {
        "provider": gift.provider,
        "transaction_id": gift.transaction_id,
        "method": gift.method,
        "status": gift.status,
        "amount": _money(gift.amount),
        "currency": gift.currency,
        "covered_fee": _money(gift.covered_fee),
        "refunded": _money(gift.refunded),
        "received_at": _when(gift.received_at),
        "monthly": gift.recurring,
        "public_name": gift.public_name,
    }


def _export_newsletter(subscriber: Subscriber | None) -> dict[str, Any] | None:
    if subscriber is None:
        return None
    return {
        "everything": subscriber.everything,
        "series": [s.title for s in subscriber.series.all()],
        "topics": [t.name for t in subscriber.topics.all()],
        "frequency": subscriber.frequency,
        "confirmed_at": _when(subscriber.confirmed_at),
    }


def _export_badge_choice(email: str) -> dict[str, Any] | None:
    choice = donor_selectors.get_badge_choice(email)
    if choice is None:
        return None
    return {"shown": choice.shown, "chosen_at": _when(choice.chosen_at)}


def build_export(person: Person) -> dict[str, Any]:
    """Everything held about the person, as the documented JSON
    (selfservice/your-data.schema.json, docs/reference/your-data.md)."""
    keys = authored.voter_keys(email=person.email, user_id=person.user_id)
    suppression = mailing.get_suppression(person.email)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _when(clock.now()),
        "email": person.email,
        "comments": [
            _export_comment(c)
            for c in authored.list_authored_comments(
                email=person.email, user_id=person.user_id
            )
        ],
        "votes": [
            {"comment_id": v.comment_id, "value": v.value, "at": _when(v.created_at)}
            for v in authored.list_votes(keys=keys)
        ],
        "reports": [
            {"comment_id": r.comment_id, "reason": r.reason, "at": _when(r.created_at)}
            for r in authored.list_reports(keys=keys)
        ],
        "subscriptions": [
            {
                "id": s.pk,
                "about": describe(s),
                "scope": s.scope,
                "delivery": s.delivery,
                "created_at": _when(s.created_at),
                "confirmed_at": _when(s.confirmed_at),
            }
            for s in subscriptions.list_subscriptions(person.email)
        ],
        "newsletter": _export_newsletter(newsletter.get_subscriber(person.email)),
        "gifts": [
            _export_gift(g) for g in donor_selectors.list_gifts_for_email(person.email)
        ],
        "supporter_badge": _export_badge_choice(person.email),
        "mail": [
            {
                "subject": m.subject,
                "status": m.status,
                "queued_at": _when(m.created_at),
                "sent_at": _when(m.sent_at),
            }
            for m in mailing.list_mail_log(person.email)
        ],
        "mail_stopped": (
            {"reason": suppression.reason, "since": _when(suppression.created_at)}
            if suppression is not None
            else None
        ),
    }


def get_own_comment(person: Person, comment_id: int) -> Comment | None:
    """One of the person's comments, or None (someone else's, or no such)."""
    return authored.get_authored_comment(
        comment_id=comment_id, email=person.email, user_id=person.user_id
    )


def list_erasure_log(*, limit: int = 200) -> list[dt.datetime]:
    """When readers erased their data, newest first: the moderators' log
    records that it happened, never who or what."""
    return list(
        ModerationAction.objects.filter(action=Action.ERASE)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)[:limit]
    )
