"""The only module of the app that renders and queues mail: confirmations,
reports, corrections, digests and editors' tests."""

from __future__ import annotations

import html
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.models import Site

from tribune.mailing import services as mailing
from tribune.mailing.addresses import unsubscribe_headers
from tribune.newsletter import conf, matching, selectors, tokens
from tribune.newsletter.models import Dispatch, Subscriber
from tribune.newsroom.models import ArticlePage

CONFIRM_PURPOSE = "newsletter.confirm"


def _absolute(path: str) -> str:
    return f"{conf.base_url()}{path}"


def _site_name() -> str:
    site = Site.objects.filter(is_default_site=True).only("site_name").first()
    return (site.site_name if site else "") or "Tribune"


def list_id() -> str:
    """The List-Id header (RFC 2919): the site's name and a host-based id."""
    host = urlsplit(conf.base_url()).hostname or "localhost"
    name = _site_name().replace('"', "").replace("<", "").replace(">", "")
    return f'"{name}" <reports.{host}>'


def send_confirmation(*, choices: tokens.Choices) -> bool:
    """Queue the confirmation mail of a sign-up, at most one per address per
    NEWSLETTER_CONFIRM_INTERVAL (mailing's rate guard decides across processes).
    Returns whether a mail was queued. Sends on commit."""
    if not mailing.allow_send(
        email=choices.email,
        purpose=CONFIRM_PURPOSE,
        per=conf.confirm_interval_seconds(),
    ):
        return False
    token = tokens.confirm_token(choices)
    context = {
        "site_name": _site_name(),
        "email": choices.email,
        "confirm_link": _absolute(reverse("newsletter:confirm", args=[token])),
        "days": conf.confirm_days(),
    }
    mailing.queue_email(
        to=choices.email,
        subject=_("Please confirm: reports of %(site)s by email")
        % {"site": context["site_name"]},
        text=render_to_string("newsletter/mail/confirm.txt", context),
        html=render_to_string("newsletter/mail/confirm.html", context),
        dedupe_key=f"newsletter-confirm:{uuid.uuid4().hex}",
    )
    return True


@dataclass(frozen=True)
class Edition:
    """What every recipient of one send gets alike (computed once per batch)."""

    dispatch: Dispatch | None
    kind: str
    reports: list[selectors.Report]
    goal: selectors.GoalLine | None
    full_text: bool
    site_name: str
    list_id: str


def build_edition(dispatch: Dispatch) -> Edition:
    """The reports, goal line and settings of a send, read once for a batch."""
    ids = dispatch.article_ids if dispatch.article_id is None else [dispatch.article_id]
    return Edition(
        dispatch=dispatch,
        kind=dispatch.kind,
        reports=selectors.list_reports(ids),
        goal=selectors.get_goal_line(),
        full_text=selectors.get_settings().full_text,
        site_name=_site_name(),
        list_id=list_id(),
    )


def _subject(edition: Edition, reports: Sequence[selectors.Report]) -> str:
    kind = edition.kind
    if kind == Dispatch.Kind.CORRECTION:
        return _("Correction: %(title)s") % {"title": reports[0].title}
    if kind == Dispatch.Kind.DAILY:
        return _("%(site)s: the day's reports") % {"site": edition.site_name}
    if kind == Dispatch.Kind.WEEKLY:
        return _("%(site)s: the week's reports") % {"site": edition.site_name}
    return reports[0].title


def _body(report: selectors.Report) -> tuple[str, str]:
    """The report's full text as HTML and as plain text."""
    body_html = str(report.article.body.render_as_block())
    text = html.unescape(strip_tags(body_html))
    lines = [line.strip() for line in text.splitlines()]
    return body_html, "\n\n".join(line for line in lines if line)


def render(
    edition: Edition, *, email: str, wanted: Any = None, test: bool = False
) -> dict[str, Any] | None:
    """Subject, text, HTML and headers of one recipient's mail, or None when a
    digest holds nothing the recipient follows."""
    reports = [r for r in edition.reports if wanted is None or wanted(r)]
    if not reports:
        return None
    unsubscribe_url = _absolute(
        reverse("newsletter:unsubscribe", args=[tokens.unsubscribe_token(email)])
    )
    full = edition.full_text and edition.kind in (
        Dispatch.Kind.REPORT,
        Dispatch.Kind.CORRECTION,
    )
    body_html, body_text = _body(reports[0]) if full else ("", "")
    context = {
        "edition": edition,
        "kind": edition.kind,
        "digest": edition.kind in (Dispatch.Kind.DAILY, Dispatch.Kind.WEEKLY),
        "note": edition.dispatch.note if edition.dispatch else "",
        "reports": reports,
        "goal": edition.goal,
        "full_text": full,
        "body_html": body_html,
        "body_text": body_text,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": _absolute(conf.preferences_path()),
        "site_name": edition.site_name,
        "site_url": _absolute("/"),
        "test": test,
    }
    subject = _subject(edition, reports)
    if test:
        subject = _("[Test] %(subject)s") % {"subject": subject}
    return {
        "subject": subject,
        "text": render_to_string("newsletter/mail/edition.txt", context),
        "html": render_to_string("newsletter/mail/edition.html", context),
        "headers": {
            "List-Id": edition.list_id,
            **unsubscribe_headers(unsubscribe_url),
        },
    }


def wanted_by(
    subscriber: Subscriber, series_ids: Sequence[int], topic_ids: Sequence[int]
) -> Any:
    """The filter of a digest's reports for one subscriber's choices."""

    def wanted(report: selectors.Report) -> bool:
        return matching.wants(
            everything=subscriber.everything,
            series_ids=series_ids,
            topic_ids=topic_ids,
            report_series_id=report.series_id,
            report_topic_ids=report.topic_ids,
        )

    return wanted


def queue_mail(dispatch: Dispatch, *, email: str, mail: dict[str, Any]) -> None:
    """Queue one recipient's rendered mail of a send.

    The outbox's key (one per send) makes a second call for the same
    recipient a no-op, so a batch redone after a crash mails nobody twice.
    """
    mailing.queue_email(
        to=email, dedupe_key=f"{selectors.DEDUPE_PREFIX}{dispatch.pk}", **mail
    )


def preview(article: ArticlePage) -> dict[str, Any] | None:
    """The mail of a report as its subscribers would get it now (for editors)."""
    edition = Edition(
        dispatch=None,
        kind=Dispatch.Kind.REPORT,
        reports=[selectors.preview_report(article)],
        goal=selectors.get_goal_line(),
        full_text=selectors.get_settings().full_text,
        site_name=_site_name(),
        list_id=list_id(),
    )
    return render(edition, email="preview@example.invalid", test=True)


def send_test(*, article: ArticlePage, email: str) -> None:
    """Queue the preview of a report to an editor's own address."""
    mail = preview(article)
    if mail is None:
        return
    mailing.queue_email(
        to=email, dedupe_key=f"newsletter-test:{uuid.uuid4().hex}", **mail
    )
