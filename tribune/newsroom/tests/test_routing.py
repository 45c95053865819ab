"""Addresses remembered per process (newsroom/routing.py): one query for a known
address, and every change of the tree answered as Wagtail's walk answers it."""

from __future__ import annotations

from django.core.cache import caches
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from tribune.core.testing import queries_of_get
from tribune.newsroom.models import ArticlePage
from tribune.newsroom.tests import factories

TITLE = '<h1 class="report__title">'


def test_a_known_address_loads_its_page_in_one_query(client: Client, home) -> None:
    report = factories.article(title="Known")
    client.get(report.url)  # warms the site, the menu, the report's part
    local = caches["local"]
    for key in local.lru_keys():
        if ":route:" in key:
            local.delete(key.split(":", 2)[2])
    walked = queries_of_get(client, report.url)
    # Wagtail's walk: the series by slug, its specific row, the report by slug
    # and its specific row; a known address: the report by id.
    assert queries_of_get(client, report.url) == walked - 3
    assert f"{TITLE}Known</h1>" in client.get(report.url).content.decode()


def test_a_moved_report_leaves_its_old_address(client: Client, home) -> None:
    report = factories.article(title="Mover")
    client.get(report.url)
    old = report.url
    Page.objects.get(pk=report.pk).move(factories.series(), pos="last-child")
    moved = ArticlePage.objects.get(pk=report.pk)
    assert client.get(old).status_code in (301, 404)  # moving/ may redirect it
    assert f"{TITLE}Mover</h1>" in client.get(moved.url).content.decode()


def test_a_renamed_slug_unpublished_or_deleted_page_is_not_served(
    client: Client, home
) -> None:
    series = factories.series()
    report = factories.article(in_series=series, title="First")
    url = report.url
    client.get(url)
    report.unpublish()
    assert client.get(url).status_code == 404
    report = ArticlePage.objects.get(pk=report.pk)
    report.save_revision().publish()
    assert client.get(url).status_code == 200
    report.slug = "renamed"
    report.save_revision().publish()
    assert client.get(url).status_code in (301, 404)
    Page.objects.get(pk=report.pk).delete()
    # A new page at the old address is the one served.
    factories.article(in_series=series, title="Second", slug=url.split("/")[-2])
    assert f"{TITLE}Second</h1>" in client.get(url).content.decode()


def test_a_section_made_private_asks_for_a_login(client: Client, home) -> None:
    series = factories.series()
    report = factories.article(in_series=series)
    assert client.get(report.url).status_code == 200
    PageViewRestriction.objects.create(
        page=series, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(report.url).status_code == 302
