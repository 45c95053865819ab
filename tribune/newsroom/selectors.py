"""Reads of newsroom content that join or sort; they own select/prefetch choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.contrib.settings.registry import registry
from wagtail.models import Page, Site

from tribune.core import generations, pagecache
from tribune.newsroom.models import ArticlePage, ArticlePageTag, Author, SeriesPage

# Retired by any change of a page, a site or a private section (apps.py): the menu
# is on every page, and its query and URLs cost more than the rest of the chrome.
MENU_GENERATION = "newsroom:menu"
MENU_SECONDS = 3600
# Retired by any change of what a report's own part of its page shows besides the
# page row (apps.py): bylines, topics, pictures, documents, embeds, support panels,
# site settings, and every page (a series' title, a linked page's address).
REPORT_GENERATION = "newsroom:report"


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


def forget_cached_pages(sender: Any = None, **kwargs: Any) -> None:
    """Drop every whole page in the page cache when a page's public version
    changes (published, unpublished, moved, deleted): its own page, the lists,
    feeds and menus that show it. Now, and again once it is committed, since a
    copy stored between the two would hold the old version."""
    pagecache.invalidate_all()
    transaction.on_commit(pagecache.invalidate_all, robust=True)


def forget_menu(sender: Any = None, **kwargs: Any) -> None:
    """Retire every process's menus when a page, site or restriction changes."""
    generations.bump(MENU_GENERATION)


def get_report_version(request: HttpRequest) -> str | None:
    """The number under which a report's part of its page may be kept in this
    process (`{% keep %}` in newsroom/article_page.html); None when nothing may
    be kept: a preview (a draft under the live page's id) or the shared cache away.
    """
    if getattr(request, "is_preview", False):
        return None
    number = generations.current(REPORT_GENERATION)
    if number is None:
        return None
    # The site's settings choose the support panel and its donate address.
    site = Site.find_for_request(request)
    return f"{number}:{site.pk if site else ''}"


def forget_reports(sender: Any = None, **kwargs: Any) -> None:
    """Retire every process's kept reports when something they show changes.

    A site setting's row made on first use holds the defaults, so its creation
    changes nothing a report shows (as in core/sites.py).
    """
    if kwargs.get("created") and sender in registry:
        return
    generations.bump(REPORT_GENERATION)


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
