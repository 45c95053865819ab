"""Reads of newsroom content that join or sort; they own select/prefetch choices."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from wagtail.models import Page

from tribune.newsroom.models import ArticlePage, ArticlePageTag, Author, SeriesPage


def _with_listing_data(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    return articles.select_related("image").prefetch_related(
        Prefetch("authors", queryset=Author.objects.order_by("name")),
        "image__renditions",
        "tags",
    )


def list_latest_articles(under: Page) -> QuerySet[ArticlePage]:
    """Live reports below a page, newest first, with bylines and pictures prefetched."""
    articles = ArticlePage.objects.live().public().descendant_of(under)
    return _with_listing_data(articles.order_by("-date", "-first_published_at", "-pk"))


def list_series(home: Page) -> QuerySet[SeriesPage]:
    """The live series under the home page, in menu order."""
    return SeriesPage.objects.live().public().child_of(home).order_by("path")


def get_series_of(article: ArticlePage) -> SeriesPage | None:
    """The series a report belongs to, if its parent is one."""
    return SeriesPage.objects.filter(path=article.path[: -article.steplen]).first()


def list_articles_by_author(author: Author) -> QuerySet[ArticlePage]:
    """Live reports bylined by an author, newest first."""
    return _with_listing_data(
        ArticlePage.objects.live()
        .public()
        .filter(authors=author)
        .order_by("-date", "-first_published_at", "-pk")
    )


def list_articles_by_topic(slug: str) -> QuerySet[ArticlePage]:
    """Live reports tagged with a topic, newest first."""
    ids = ArticlePageTag.objects.filter(tag__slug=slug).values("content_object_id")
    return _with_listing_data(
        ArticlePage.objects.live()
        .public()
        .filter(pk__in=ids)
        .order_by("-date", "-first_published_at", "-pk")
    )
