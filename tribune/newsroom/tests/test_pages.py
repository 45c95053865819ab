"""What a reader gets from the newsroom's pages, feeds and discovery files."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from tribune.newsroom.models import NewsroomSettings, SupportPanel
from tribune.newsroom.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(home):
    support = SupportPanel.objects.create(
        name="Default",
        heading="Keep the Gazette going",
        text="<p>Readers pay for this.</p>",
        paypal_url="https://paypal.example/gazette",
    )
    settings = NewsroomSettings.for_site(home.get_site())
    settings.support_panel = support
    settings.save()
    return support


def test_home_lists_latest_reports_newest_first(client: Client, home) -> None:
    old = factories.article(title="Older report", date=dt.date(2026, 10, 1))
    new = factories.article(title="Newer report", date=dt.date(2026, 11, 1))
    html = client.get("/").content.decode()
    assert html.index(new.title) < html.index(old.title)


def test_home_paginates_after_twelve_reports(client: Client, home) -> None:
    series = factories.series()
    for day in range(1, 15):
        factories.article(
            in_series=series, title=f"Day {day:02d} report", date=dt.date(2026, 11, day)
        )
    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()
    assert "Day 14 report" in first and "Day 01 report" not in first
    assert "Day 01 report" in second and "Page 2 of 2" in second
    assert client.get("/?page=99").status_code == 200


def test_drafts_are_not_listed_or_served(client: Client, home) -> None:
    draft = factories.article(title="Unfinished draft", publish=False)
    assert "Unfinished draft" not in client.get("/").content.decode()
    assert client.get(draft.url_path.replace("/home", "", 1)).status_code == 404


def test_article_shows_dated_title_byline_lead_and_body(
    client: Client, home, panel
) -> None:
    author = factories.AuthorFactory(name="Ada Field", role="Reporter")
    report = factories.article(
        title="Situation Report, 3 November 2026: roads reopen",
        lead="Two roads reopened overnight.",
        dateline="MILLBROOK",
        date=dt.date(2026, 11, 3),
        authors=[author],
        tags=["transport"],
        paragraphs=("The bridge held.", "Buses resume on Monday."),
    )
    html = client.get(report.url).content.decode()
    assert (
        '<h1 class="report__title">Situation Report, 3 November 2026: roads reopen</h1>'
        in html
    )
    assert "Two roads reopened overnight." in html
    assert 'datetime="2026-11-03"' in html and "MILLBROOK" in html
    assert 'href="/authors/' in html and "Ada Field" in html
    assert "The bridge held." in html and "Buses resume on Monday." in html
    assert 'href="/topics/transport/"' in html
    assert html.count('class="support__heading">Keep the Gazette going') == 2
    assert (
        'property="og:title" content="Situation Report, 3 November 2026: roads reopen"'
        in html
    )


def test_support_panels_can_be_switched_off_per_article(
    client: Client, home, panel
) -> None:
    report = factories.article(show_support=False)
    assert "Keep the Gazette going" not in client.get(report.url).content.decode()


def test_support_block_in_body_uses_default_panel(client: Client, home, panel) -> None:
    report = factories.article(show_support=False, body=[("support", {"panel": None})])
    html = client.get(report.url).content.decode()
    assert html.count('class="support__heading">Keep the Gazette going') == 1
    assert "https://paypal.example/gazette" in html


def _queries_for(client: Client, url: str, *, kept: bool = True) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tribune.core import generations
    from tribune.newsroom import selectors

    client.get(url)  # warm per-process caches (site root paths)
    if not kept:  # as after an edit: the report's part is rendered again
        generations.advance(selectors.REPORT_GENERATION)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("kept", [True, False])
def test_article_page_makes_a_fixed_number_of_queries(
    client: Client, home, panel, kept: bool
) -> None:
    small = factories.article(
        authors=factories.AuthorFactory.create_batch(1), tags=["a"]
    )
    big = factories.article(
        authors=factories.AuthorFactory.create_batch(5), tags=["a", "b", "c", "d", "e"]
    )
    assert _queries_for(client, small.url, kept=kept) == _queries_for(
        client, big.url, kept=kept
    )
    # The report by id (its address remembered, newsroom/routing.py), Wagtail's
    # view restrictions and the comment thread; the site, its settings and the
    # series menu come from memory (core/sites.py, test_menu.py); one more for
    # the live stream's newest event id (live/templatetags). Byline, topics and
    # series are read only when the report's part is rendered, not kept
    # (decision 0036).
    assert _queries_for(client, big.url, kept=kept) == (5 if kept else 8)


def test_series_page_lists_only_its_reports(client: Client, home) -> None:
    daily = factories.series("Daily Brief")
    other = factories.series("Elsewhere")
    factories.article(in_series=daily, title="In the brief")
    factories.article(in_series=other, title="Not in the brief")
    html = client.get(daily.url).content.decode()
    assert "In the brief" in html and "Not in the brief" not in html


def test_author_page_lists_their_reports(client: Client, home) -> None:
    author = factories.AuthorFactory(name="Bea North", slug="bea-north")
    factories.article(title="Her report", authors=[author])
    factories.article(title="Someone else's report")
    html = client.get("/authors/bea-north/").content.decode()
    assert "Bea North" in html and "Her report" in html
    assert "Someone else" not in html
    assert client.get("/authors/nobody/").status_code == 404


def test_topic_page_lists_tagged_reports(client: Client, home) -> None:
    factories.article(title="About buses", tags=["transport"])
    factories.article(title="About books", tags=["libraries"])
    html = client.get("/topics/transport/").content.decode()
    assert "About buses" in html and "About books" not in html


def test_search_finds_reports_by_body_text(client: Client, home) -> None:
    from django.core.management import call_command

    factories.article(
        title="Weir repairs", paragraphs=("The sluice gate was replaced.",)
    )
    factories.article(title="Library news")
    call_command("update_index", verbosity=0)
    html = client.get("/search/", {"q": "sluice"}).content.decode()
    assert "Weir repairs" in html and "Library news" not in html
    assert "1 report found" in html
    empty = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "No reports match" in empty


@pytest.mark.parametrize(
    ("path", "root_tag"),
    [("/feed/rss/", "rss"), ("/feed/atom/", "{http://www.w3.org/2005/Atom}feed")],
)
def test_site_feeds_are_well_formed_with_latest_reports(
    client: Client, home, path: str, root_tag: str
) -> None:
    factories.article(title="Feed item one", lead="Lead one.")
    response = client.get(path)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == root_tag
    assert b"Feed item one" in response.content


def test_series_feed_has_full_text_on_request(client: Client, home) -> None:
    series = factories.series("Night Desk")
    factories.article(
        in_series=series, title="Late news", paragraphs=("Full body text.",)
    )
    short = client.get(f"/feed/{series.slug}/rss/").content.decode()
    full = client.get(f"/feed/{series.slug}/rss/?full=1").content.decode()
    assert "Late news" in short and "Full body text." not in short
    assert "Full body text." in full
    assert client.get("/feed/no-such-series/rss/").status_code == 404


def test_sitemap_and_robots(client: Client, home) -> None:
    report = factories.article(title="Mapped report")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert report.slug in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: " in robots and "/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots


def test_unknown_url_gets_styled_404(client: Client, home) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "site.css" in response.content.decode()


def test_server_error_page_leaks_nothing(home, settings) -> None:
    from django.urls import path

    def broken(request):
        raise RuntimeError("database password is hunter2")

    settings.ROOT_URLCONF = type(
        "urls",
        (),
        {
            "urlpatterns": [path("boom/", broken)],
            "handler500": "tribune.core.views.server_error",
        },
    )
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "hunter2" not in body and "Traceback" not in body


def test_canonical_and_feed_links_in_head(client: Client, home) -> None:
    html = client.get("/").content.decode()
    assert '<link rel="canonical" href="http://testserver/">' in html
    assert (
        'type="application/rss+xml"' in html and 'type="application/atom+xml"' in html
    )


def test_responses_carry_a_strict_content_security_policy(client: Client, home) -> None:
    csp = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp


def test_pages_name_an_icon_that_exists(client: Client, home) -> None:
    # Without one, every browser asks for /favicon.ico and gets a 404.
    found = re.search(r'<link rel="icon" href="([^"]+)"', client.get("/").text)
    assert found is not None
    assert finders.find(found[1].removeprefix(settings.STATIC_URL)) is not None
