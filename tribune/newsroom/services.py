"""Writes to the newsroom's page tree: the one path demo, tests and importers use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from tribune.newsroom.models import (
    ArticlePage,
    Author,
    HomePage,
    SeriesPage,
    StandardPage,
)


@transaction.atomic
def install_home_page(
    *, title: str, intro: str = "", hostname: str = "localhost"
) -> HomePage:
    """Make a HomePage the root of the default site, replacing Wagtail's welcome page.

    Idempotent: returns the existing home page when there is one.
    """
    existing = HomePage.objects.first()
    if existing is not None:
        return existing
    # Wagtail's placeholder welcome page takes the "home" slug; nothing links to it.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore").delete()
    root = Page.get_first_root_node() or _make_root()
    home = HomePage(title=title, slug="home", intro=intro)
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname=hostname, port=80, is_default_site=True)
    site.root_page = home
    site.site_name = title
    site.save()
    return home


def set_site_address(*, base_url: str) -> Site | None:
    """Point the default site at `base_url`, so Wagtail's own absolute links
    (sitemap, full URLs) agree with the rest of the site. None without a site."""
    parts = urlsplit(base_url)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or not parts.hostname:
        return site
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if (site.hostname, site.port) != (parts.hostname, port):
        site.hostname, site.port = parts.hostname, port
        site.save(update_fields=["hostname", "port"])
    return site


def _make_root() -> Page:
    # Wagtail's migrations make the root; a flushed database (transactional
    # tests, `flush`) has none, so make it the way those migrations do.
    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


@transaction.atomic
def create_series(
    *, home: HomePage, title: str, slug: str, description: str = ""
) -> SeriesPage:
    """Add and publish a series under the home page."""
    series = SeriesPage(title=title, slug=slug, description=description)
    home.add_child(instance=series)
    series.save_revision().publish()
    return series


@transaction.atomic
def create_article(
    *,
    series: SeriesPage,
    title: str,
    lead: str,
    date: dt.date,
    body: Sequence[tuple[str, Any]] = (),
    authors: Sequence[Author] = (),
    tags: Sequence[str] = (),
    slug: str = "",
    dateline: str = "",
    publish: bool = True,
    **fields: Any,
) -> ArticlePage:
    """Add a report under a series; publish it unless asked to keep it a draft.

    `body` is a list of (block type, value) pairs for the StreamField.
    """
    article = ArticlePage(
        title=title,
        lead=lead,
        date=date,
        dateline=dateline,
        body=list(body),
        live=publish,
        **({"slug": slug} if slug else {}),
        **fields,
    )
    article.authors.set(list(authors))
    article.tags.add(*tags)
    series.add_child(instance=article)
    revision = article.save_revision()
    if publish:
        revision.publish()
    return article


def create_plain_page(
    *,
    parent: Page,
    title: str,
    body: Sequence[tuple[str, Any]] = (),
    slug: str = "",
    publish: bool = True,
) -> StandardPage:
    """Add a plain page under the home page or another plain page."""
    page = StandardPage(
        title=title, body=list(body), live=publish, **({"slug": slug} if slug else {})
    )
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page
