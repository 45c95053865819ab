"""Reads: which report a Disqus thread belongs to.

By address first (the report's own URL, an old address kept as a Wagtail redirect,
or a WordPress post id the WordPress import recorded), then by title when exactly
one report carries it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from tribune.moving.disqus.reader import DisqusThread
from tribune.moving.models import LegacyRecord, Source
from tribune.newsroom.models import ArticlePage

# The Disqus plugin for WordPress names threads "<post id> <permalink>".
_WORDPRESS_IDENTIFIER = re.compile(r"^(\d+)\s+\S+")


@dataclass(frozen=True)
class Match:
    page: ArticlePage | None
    # "url", "redirect", "wordpress id", "title"; or why nothing matched.
    how: str


def _normal_path(path: str) -> str:
    path = re.sub(r"/index\.html?$", "/", path or "/")
    return path if path.endswith("/") else f"{path}/"


class PageFinder:
    """Finds the report of each thread; remembers the site's report paths once."""

    def __init__(self) -> None:
        self._paths: dict[str, int] | None = None

    def _path_map(self) -> dict[str, int]:
        if self._paths is None:
            roots = [
                url_path
                for url_path in Site.objects.values_list(
                    "root_page__url_path", flat=True
                )
                if url_path
            ]
            self._paths = {}
            for pk, url_path in ArticlePage.objects.values_list("pk", "url_path"):
                for root in roots:
                    if url_path.startswith(root):
                        self._paths[url_path[len(root) - 1 :]] = pk
        return self._paths

    def _by_path(self, path: str) -> int | None:
        return self._path_map().get(_normal_path(path))

    def _by_redirect(self, link: str) -> int | None:
        old = Redirect.normalise_path(link)
        redirect = (
            Redirect.objects.filter(old_path=old)
            .select_related("redirect_page")
            .first()
        )
        if redirect is None:
            return None
        if redirect.redirect_page_id:
            return redirect.redirect_page_id
        return self._by_path(urlsplit(redirect.redirect_link).path)

    def _by_wordpress_id(self, thread: DisqusThread) -> int | None:
        query = parse_qs(urlsplit(thread.link).query)
        ids = query.get("p", []) + query.get("page_id", [])
        found = _WORDPRESS_IDENTIFIER.match(thread.identifier)
        if found:
            ids.append(found.group(1))
        if not ids:
            return None
        record = (
            LegacyRecord.objects.filter(
                source=Source.WORDPRESS, kind__in=["post", "page"], legacy_id__in=ids
            )
            .order_by("pk")
            .first()
        )
        return record.object_id if record else None

    def _by_title(self, title: str) -> tuple[int | None, str]:
        if not title:
            return None, "no address or title matches a report"
        pks = list(
            ArticlePage.objects.filter(title__iexact=title.strip()).values_list(
                "pk", flat=True
            )[:2]
        )
        if len(pks) == 1:
            return pks[0], "title"
        if pks:
            return None, "several reports have this title"
        return None, "no address or title matches a report"

    def find(self, thread: DisqusThread) -> Match:
        """The report of `thread`, or None with the reason."""
        ways: list[tuple[str, Callable[[], int | None]]] = [
            ("url", lambda: self._by_path(urlsplit(thread.link).path)),
            ("redirect", lambda: self._by_redirect(thread.link)),
            ("wordpress id", lambda: self._by_wordpress_id(thread)),
        ]
        for how, way in ways if thread.link else ways[2:]:
            pk = way()
            page = ArticlePage.objects.filter(pk=pk).first() if pk else None
            if page is not None:
                return Match(page, how)
        pk, how = self._by_title(thread.title)
        page = ArticlePage.objects.filter(pk=pk).first() if pk else None
        return Match(page, how)
