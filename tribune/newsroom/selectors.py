"""Reads of newsroom content that join or sort; they own select/prefetch choices."""

from __future__ import annotations

from django.db.models import QuerySet
from wagtail.models import Page

from tribune.newsroom.models import ArticlePage, ArticlePageTag, Author, SeriesPage


def list_latest_articles(under: Page) -> QuerySet[ArticlePage]:
    """Live reports below a page, newest first, with bylines and pictures prefetched."""
    return ArticlePage.objects.listed_under(under)


def list_series(home: Page) -> QuerySet[SeriesPage]:
    """The live series under the home page, in menu order."""
    return SeriesPage.objects.listed_under(home)


def get_series_of(article: ArticlePage) -> SeriesPage | None:
    """The series a report belongs to, if its parent is one."""
    return SeriesPage.objects.filter(path=article.path[: -article.steplen]).first()


def list_articles_by_author(author: Author) -> QuerySet[ArticlePage]:
    """Live reports bylined by an author, newest first."""
    return ArticlePage.objects.listed().filter(authors=author)


def list_articles_by_topic(slug: str) -> QuerySet[ArticlePage]:
    """Live reports tagged with a topic, newest first."""
    ids = ArticlePageTag.objects.filter(tag__slug=slug).values("content_object_id")
    return ArticlePage.objects.listed().filter(pk__in=ids)
