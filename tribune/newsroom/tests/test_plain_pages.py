"""Plain pages (StandardPage), pinned reports, and the byline's private address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import Page

from tribune.core.testing import html5_errors
from tribune.newsroom.models import ArticlePage, SeriesPage, StandardPage
from tribune.newsroom.tests import factories

pytestmark = pytest.mark.django_db


def test_a_plain_page_shows_title_body_and_its_subpages(client: Client, home) -> None:
    about = factories.plain_page(title="About <us>", slug="about", text="Who we are.")
    factories.plain_page(parent=about, title="Contact", slug="contact")
    response = client.get("/about/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "About &lt;us&gt;" in html and "Who we are." in html
    assert 'href="/about/contact/"' in html
    # No byline, date or discussion on a plain page.
    assert "<time" not in html and 'rel="author"' not in html
    assert "comment" not in html.lower().split("<main", 1)[-1].split("</main>")[0]
    assert client.get("/about/contact/").status_code == 200
    assert html5_errors([("/about/", response.content)]) == []


def test_plain_page_makes_a_fixed_number_of_queries(
    client: Client, home, django_assert_max_num_queries
) -> None:
    about = factories.plain_page(slug="about")
    for n in range(5):
        factories.plain_page(parent=about, slug=f"sub-{n}")
    client.get("/about/")  # warm the per-process caches
    with django_assert_max_num_queries(12):
        assert client.get("/about/").status_code == 200


def test_plain_pages_go_under_the_home_page_or_each_other(home) -> None:
    assert StandardPage.can_create_at(home)
    about = factories.plain_page()
    assert StandardPage.can_create_at(about)
    assert not StandardPage.can_create_at(factories.series())
    assert not ArticlePage.can_create_at(about)
    assert not SeriesPage.can_create_at(about)


def test_plain_pages_are_in_the_sitemap_and_search_index(client: Client, home) -> None:
    factories.plain_page(title="Imprint", slug="imprint", text="Publisher: a co-op.")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/imprint/</loc>" in sitemap
    found = Page.objects.live().type(StandardPage).search("co-op")
    assert [p.title for p in found] == ["Imprint"]
    call_command("update_index", verbosity=0)
    html = client.get("/search/", {"q": "co-op"}).content.decode()
    assert 'href="/imprint/"' in html and "No reports match" in html


def test_the_home_page_lists_pinned_reports_first(client: Client, home) -> None:
    series = factories.series()
    old = factories.article(
        in_series=series, title="Pinned and old", date=dt.date(2026, 1, 1), pinned=True
    )
    factories.article(in_series=series, title="Newer", date=dt.date(2026, 3, 1))
    html = client.get(home.url).content.decode()
    assert html.index("Pinned and old") < html.index("Newer")
    # The series page keeps plain date order.
    listed = client.get(series.url).content.decode()
    assert listed.index("Newer") < listed.index("Pinned and old")
    assert old.pinned


def test_the_authors_address_is_never_shown(client: Client, home) -> None:
    author = factories.AuthorFactory(name="Ida Roe", email="ida.private@example.org")
    article = factories.article(authors=[author])
    for url in (article.url, author.get_absolute_url(), "/feed/rss/", "/feed/atom/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"ida.private@" not in response.content, url
