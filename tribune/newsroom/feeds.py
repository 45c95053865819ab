"""RSS 2.0 and Atom feeds of the whole site and of each series."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.models import Site

from tribune.newsroom import selectors
from tribune.newsroom.models import ArticlePage, SeriesPage

FEED_SIZE = 30


class LatestReportsFeed(Feed):
    """The latest reports; `?full=1` puts the whole body in each item."""

    feed_type: type[Rss201rev2Feed | Atom1Feed] = Rss201rev2Feed

    def get_object(
        self, request: HttpRequest, slug: str | None = None
    ) -> SeriesPage | None:
        self.request = request
        self.full_text = request.GET.get("full") == "1"
        if slug is None:
            return None
        return get_object_or_404(SeriesPage.objects.live().public(), slug=slug)

    def _root(self) -> object:
        site = Site.find_for_request(self.request)
        return site.root_page if site else None

    def title(self, obj: SeriesPage | None) -> str:
        from django.conf import settings

        return f"{settings.SITE_NAME}: {obj.title}" if obj else settings.SITE_NAME

    def link(self, obj: SeriesPage | None) -> str:
        return obj.url if obj else "/"

    def description(self, obj: SeriesPage | None) -> str:
        return _("The latest reports")

    def items(self, obj: SeriesPage | None) -> list[ArticlePage]:
        under = obj or self._root()
        return list(selectors.list_latest_articles(under)[:FEED_SIZE])

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        if self.full_text:
            from django.template.loader import render_to_string

            return render_to_string(
                "newsroom/feed_item.html", {"page": item}, request=self.request
            )
        return item.lead

    def item_link(self, item: ArticlePage) -> str:
        return item.get_url(self.request) or item.url

    def item_pubdate(self, item: ArticlePage) -> dt.datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage) -> dt.datetime | None:
        return item.last_published_at

    def item_author_name(self, item: ArticlePage) -> str:
        return ", ".join(a.name for a in item.authors.all())

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class LatestReportsAtomFeed(LatestReportsFeed):
    feed_type = Atom1Feed
    subtitle = LatestReportsFeed.description
