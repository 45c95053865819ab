"""Reads for the exports: everything in a stable order, in chunks, never all at once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction

from tribune.discussion.models import Comment, Thread
from tribune.funding.models import Adjustment, Campaign, CampaignMonth, Donation
from tribune.newsroom.models import ArticlePage, Author, HomePage, SeriesPage
from tribune.subscriptions.models import Subscription

CHUNK = 200


def list_authors() -> QuerySet[Author]:
    """Every byline, by id."""
    return Author.objects.order_by("pk")


def list_series() -> QuerySet[SeriesPage]:
    """Every series, in tree order."""
    return SeriesPage.objects.order_by("path")


def list_topics() -> QuerySet[Tag]:
    """The tags used on reports, by id."""
    return (
        Tag.objects.filter(newsroom_articlepagetag_items__isnull=False)
        .distinct()
        .order_by("pk")
    )


def iter_articles() -> Iterator[ArticlePage]:
    """Every report with its authors and topics, in tree order, a chunk at a time."""
    return (
        ArticlePage.objects.order_by("path")
        .select_related("image")
        .prefetch_related("authors", "tags")
        .iterator(chunk_size=CHUNK)
    )


def iter_plain_pages() -> Iterator[Page]:
    """Pages that are neither the home page, a series nor a report, as their type."""
    skip = [HomePage, SeriesPage, ArticlePage]
    return (
        Page.objects.filter(depth__gt=1)
        .not_type(*skip)
        .specific()
        .order_by("path")
        .iterator(chunk_size=CHUNK)
    )


def home_paths() -> list[str]:
    """Tree paths of the root and home pages (pages below them have no parent)."""
    return list(Page.objects.filter(depth__lte=2).values_list("path", flat=True))


def restricted_paths() -> list[str]:
    """Tree paths of pages readers cannot open freely (password, login, groups)."""
    return list(
        PageViewRestriction.objects.values_list("page__path", flat=True).order_by(
            "page__path"
        )
    )


def thread_of(page_id: int) -> Thread | None:
    """The comment thread of a report, if it has one."""
    return Thread.objects.filter(page_id=page_id).first()


def iter_thread_comments(thread_id: int) -> Iterator[Comment]:
    """A thread's comments with parents before their replies (by depth, then date)."""
    return (
        Comment.objects.filter(thread_id=thread_id)
        .order_by("depth", "created_at", "pk")
        .iterator(chunk_size=CHUNK)
    )


def iter_values(
    queryset: QuerySet[Any], fields: Sequence[str]
) -> Iterator[dict[str, Any]]:
    """Rows of `queryset` as dicts of `fields`, by id, a chunk at a time."""
    return queryset.order_by("pk").values(*fields).iterator(chunk_size=CHUNK * 5)


def list_campaign_months() -> dict[int, list[dict[str, Any]]]:
    """Each campaign's monthly goals, by campaign id (a handful per campaign)."""
    months: dict[int, list[dict[str, Any]]] = {}
    for row in CampaignMonth.objects.order_by("campaign_id", "month").values(
        "campaign_id", "month", "goal"
    ):
        months.setdefault(row["campaign_id"], []).append(
            {"month": row["month"], "goal": row["goal"]}
        )
    return months


def thread_pages() -> dict[int, int]:
    """Report id of every thread, by thread id."""
    return dict(Thread.objects.values_list("pk", "page_id"))


def iter_comments() -> Iterator[Comment]:
    """Every comment, thread by thread, parents before replies."""
    return (
        Comment.objects.select_related("thread")
        .order_by("thread_id", "depth", "created_at", "pk")
        .iterator(chunk_size=CHUNK)
    )


def list_donations() -> QuerySet[Donation]:
    return Donation.objects.select_related("wall_message")


def list_adjustments() -> QuerySet[Adjustment]:
    return Adjustment.objects.all()


def list_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.all()


def list_subscriptions() -> QuerySet[Subscription]:
    return Subscription.objects.all()
