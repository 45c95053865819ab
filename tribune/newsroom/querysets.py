"""Chainable pieces of newsroom queries, shared by the selectors and the pages' context.

They live on the page querysets so that `models.py` can list its own children without
importing `selectors.py`, which imports the models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wagtail.models import Page
from wagtail.query import PageQuerySet

if TYPE_CHECKING:
    from tribune.newsroom.models import ArticlePage, SeriesPage


class ArticlePageQuerySet(PageQuerySet):
    """Reports, with the ordering and prefetching every report list shares."""

    def newest_first(self) -> ArticlePageQuerySet:
        return self.order_by("-date", "-first_published_at", "-pk")

    def pinned_first(self) -> ArticlePageQuerySet:
        """Pinned reports before the others, each group newest first."""
        return self.order_by("-pinned", "-date", "-first_published_at", "-pk")

    def with_listing_data(self) -> ArticlePageQuerySet:
        # Author's Meta.ordering sorts each byline by name.
        return self.select_related("image").prefetch_related(
            "authors", "image__renditions", "tags"
        )

    def listed(self) -> ArticlePageQuerySet:
        """Live, public reports, newest first, with bylines and pictures prefetched."""
        return self.live().public().newest_first().with_listing_data()

    def listed_under(self, under: Page) -> ArticlePageQuerySet:
        """`listed()` narrowed to the reports below a page."""
        return self.listed().descendant_of(under)


class SeriesPageQuerySet(PageQuerySet):
    """Series and sections."""

    def listed_under(self, home: Page) -> SeriesPageQuerySet:
        """The live series under the home page, in menu order."""
        return self.live().public().child_of(home).order_by("path")

    def parent_of(self, article: ArticlePage) -> SeriesPage | None:
        """The series a report belongs to, if its parent is one."""
        found: Any = self.filter(path=article.path[: -article.steplen]).first()
        return found
