"""Reads of the newsletter: recipients, digest reports, what a mail shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from wagtail.models import Site

from tribune.core import clock
from tribune.discussion import selectors as discussion_selectors
from tribune.funding import display
from tribune.funding import selectors as funding_selectors
from tribune.mailing.addresses import normalize_address
from tribune.mailing.models import OutboundEmail
from tribune.newsletter import conf
from tribune.newsletter.models import (
    Delivery,
    Dispatch,
    Frequency,
    NewsletterSettings,
    Subscriber,
)
from tribune.newsroom import selectors as newsroom_selectors
from tribune.newsroom.models import ArticlePage, ArticlePageTag

DEDUPE_PREFIX = "newsletter:"


@dataclass(frozen=True)
class Report:
    """What a newsletter shows of one report; links are absolute."""

    pk: int
    title: str
    lead: str
    url: str
    discussion_url: str
    comment_count: int
    image_url: str
    image_alt: str
    series_id: int | None
    series_title: str
    topic_ids: tuple[int, ...]
    article: ArticlePage


@dataclass(frozen=True)
class GoalLine:
    """The goal bar as one line, e.g. "$1,800 of $5,000 raised, 13 days left"."""

    raised: str
    goal: str
    countdown: str
    donate_url: str


def _absolute(path: str) -> str:
    return path if "://" in path else f"{conf.base_url()}{path}"


def get_subscriber(email: str) -> Subscriber | None:
    """The address's subscription with its series and topics, or None.
    One query, three when subscribed."""
    return (
        Subscriber.objects.filter(email=normalize_address(email))
        .prefetch_related("series", "topics")
        .first()
    )


def held_choices(email: str) -> dict[str, Any] | None:
    """What the address follows, as plain data an erasure keeps for its undo."""
    subscriber = get_subscriber(email)
    if subscriber is None:
        return None
    return {
        "everything": subscriber.everything,
        "series_ids": [s.pk for s in subscriber.series.all()],
        "topic_ids": [t.pk for t in subscriber.topics.all()],
        "frequency": subscriber.frequency,
        "confirmed_at": subscriber.confirmed_at.isoformat(),
    }


def get_settings() -> NewsletterSettings:
    """The default site's newsletter settings (mail has no request to pick a site)."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return NewsletterSettings()
    return NewsletterSettings.for_site(site)


def _report(article: ArticlePage, *, topic_ids: Sequence[int], count: int) -> Report:
    series = newsroom_selectors.get_series_of(article)
    url = _absolute(article.get_url() or "/")
    image_url = ""
    if article.image is not None:
        image_url = _absolute(article.image.get_rendition("width-600|format-jpeg").url)
    return Report(
        pk=article.pk,
        title=article.title,
        lead=article.lead,
        url=url,
        discussion_url=f"{url}#comments",
        comment_count=count,
        image_url=image_url,
        image_alt=article.image_caption or article.title,
        series_id=series.pk if series else None,
        series_title=series.title if series else "",
        topic_ids=tuple(topic_ids),
        article=article,
    )


def list_reports(article_ids: Sequence[int]) -> list[Report]:
    """The live reports among `article_ids`, in the given order, ready for mail.

    The same few queries per report whatever the number of recipients: a send
    reads them once per batch.
    """
    articles = {
        a.pk: a
        for a in ArticlePage.objects.live()
        .filter(pk__in=list(article_ids))
        .select_related("image")
    }
    tags: dict[int, list[int]] = {}
    for page_id, tag_id in ArticlePageTag.objects.filter(
        content_object_id__in=list(articles)
    ).values_list("content_object_id", "tag_id"):
        tags.setdefault(page_id, []).append(tag_id)
    counts = discussion_selectors.count_comments(list(articles))
    return [
        _report(articles[pk], topic_ids=tags.get(pk, []), count=counts.get(pk, 0))
        for pk in article_ids
        if pk in articles
    ]


def preview_report(article: ArticlePage) -> Report:
    """A report as its latest revision (a draft too) would go out, for editors."""
    latest = article.get_latest_revision_as_object()
    counts = discussion_selectors.count_comments([article.pk])
    return _report(
        latest,
        topic_ids=[t.pk for t in latest.tags.all()],
        count=counts.get(article.pk, 0),
    )


def get_goal_line() -> GoalLine | None:
    """The active campaign's progress as text, or None without a campaign."""
    goal = funding_selectors.get_bar_progress()
    if goal is None:
        return None
    bar = display.build_bar(goal, now=clock.now())
    return GoalLine(
        raised=bar.raised_display,
        goal=bar.goal_display,
        countdown=bar.countdown,
        donate_url=_absolute("/support/"),
    )


def recipients_of_report(
    *, series_id: int | None, topic_ids: Sequence[int]
) -> QuerySet[Subscriber]:
    """Subscribers who get a report as it is published: everything, its series
    or one of its topics."""
    wanted = Q(everything=True) | Q(topics__in=list(topic_ids))
    if series_id is not None:
        wanted |= Q(series=series_id)
    return (
        Subscriber.objects.filter(frequency=Frequency.EACH)
        .filter(wanted)
        .distinct()
        .order_by("pk")
    )


def recipients_of_correction(dispatch: Dispatch) -> QuerySet[Subscriber]:
    """Subscribers who were handed the report itself (and are still subscribed)."""
    got_it = Delivery.objects.filter(
        dispatch__article_id=dispatch.article_id,
        dispatch__kind=Dispatch.Kind.REPORT,
        state=Delivery.State.QUEUED,
    ).values("subscriber_id")
    return Subscriber.objects.filter(pk__in=got_it).order_by("pk")


def list_digest_report_ids(*, start: dt.datetime, end: dt.datetime) -> list[int]:
    """Reports first published in [start, end) that were to go out, oldest first."""
    return list(
        ArticlePage.objects.live()
        .public()
        .filter(
            newsletter=True, first_published_at__gte=start, first_published_at__lt=end
        )
        .order_by("first_published_at", "pk")
        .values_list("pk", flat=True)
    )


def outbox_backlog() -> int:
    """Newsletter messages in the outbox not yet handed to the server."""
    return OutboundEmail.objects.filter(
        status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING],
        dedupe_key__startswith=DEDUPE_PREFIX,
    ).count()


def handed_over_since(since: dt.datetime) -> int:
    """Newsletter messages handed to the outbox since `since`."""
    return Delivery.objects.filter(queued_at__gte=since).count()


@dataclass(frozen=True)
class SendRow:
    """One send of a report as editors see it."""

    dispatch: Dispatch
    pending: int
    queued: int
    skipped: int


def list_sends(article: ArticlePage) -> list[SendRow]:
    """The sends of a report with their progress, newest first (two queries)."""
    counts: dict[tuple[int, str], int] = {
        (row["dispatch_id"], row["state"]): row["n"]
        for row in Delivery.objects.filter(dispatch__article=article)
        .values("dispatch_id", "state")
        .annotate(n=Count("pk"))
    }
    states = Delivery.State
    return [
        SendRow(
            dispatch=d,
            pending=counts.get((d.pk, states.PENDING), 0),
            queued=counts.get((d.pk, states.QUEUED), 0),
            skipped=counts.get((d.pk, states.SKIPPED), 0),
        )
        for d in Dispatch.objects.filter(article=article).order_by("-created_at", "-pk")
    ]
