"""Reads of newsroom content that join or sort; they own select/prefetch choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from wagtail.models import Page

from tribune.core import generations
from tribune.newsroom.models import ArticlePage, ArticlePageTag, Author, SeriesPage

# Retired by any change of a page, a site or a private section (apps.py): the menu
# is on every page, and its query and URLs cost more than the rest of the chrome.
MENU_GENERATION = "newsroom:menu"
MENU_SECONDS = 3600


@dataclass(frozen=True)
class MenuItem:
    """What the series menu shows of a series (includes/nav.html)."""

    pk: int
    title: str
    url: str | None


def list_latest_articles(under: Page) -> QuerySet[ArticlePage]:
    """Live reports below a page, newest first, with bylines and pictures prefetched."""
    return ArticlePage.objects.listed_under(under)


def list_series(home: Page) -> QuerySet[SeriesPage]:
    """The live series under the home page, in menu order."""
    return SeriesPage.objects.listed_under(home)


def list_series_menu(home: Page) -> list[MenuItem]:
    """The series menu under the home page, kept per process until a page changes."""
    return generations.remember(
        MENU_GENERATION,
        f"newsroom:menu:{home.pk}",
        lambda: [MenuItem(s.pk, s.title, s.url) for s in list_series(home)],
        MENU_SECONDS,
    )


def forget_menu(sender: Any = None, **kwargs: Any) -> None:
    """Retire every process's menus when a page, site or restriction changes."""
    generations.bump(MENU_GENERATION)


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
