"""Every public page of the demo site: valid HTML5, accessible, and readable in a browser."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client

from tribune.core.testing import axe_violations, html5_errors
from tribune.demo import funding_content, newsroom_content
from tribune.newsroom.models import ArticlePage
from tribune.newsroom.tests import factories


def _load_demo() -> None:
    newsroom_content.load()
    call_command("update_index", verbosity=0)


def public_urls(client: Client) -> list[str]:
    """The sitemap's pages plus the pages a sitemap does not list."""
    sitemap = client.get("/sitemap.xml").content.decode()
    urls = [
        re.sub(r"^https?://[^/]+", "", u)
        for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)
    ]
    extras = [
        "/authors/mara-okafor/",
        "/topics/flooding/",
        "/search/?q=bridge",
        "/search/?q=zzzz",
        "/this-page-does-not-exist/",
    ]
    return sorted(set(urls)) + extras


@pytest.mark.django_db
def test_every_public_page_is_valid_html5(client: Client) -> None:
    _load_demo()
    pages = []
    for url in public_urls(client):
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        pages.append((url, response.content))
    assert len(pages) >= 20
    assert html5_errors(pages) == []


live_db = pytest.mark.django_db(transaction=True)


@pytest.mark.browser
@live_db
def test_every_public_page_has_no_serious_accessibility_violations(
    live_server, browser
) -> None:
    _load_demo()
    client = Client()
    context = browser.new_context(bypass_csp=True)
    tab = context.new_page()
    failures = []
    for url in public_urls(client):
        tab.goto(live_server.url + url)
        failures += axe_violations(tab)
    context.close()
    assert failures == []


@pytest.mark.browser
@live_db
def test_reader_opens_home_then_an_article(live_server, page) -> None:
    _load_demo()
    page.goto(live_server.url + "/")
    assert page.title().startswith("The Valley Ledger")
    assert page.locator("h1").first.inner_text() == "Latest reports"
    cards = page.locator(".card__title a")
    assert cards.count() == 12
    headline = cards.first.inner_text()
    cards.first.click()
    page.wait_for_load_state()
    assert page.locator("h1.report__title").inner_text() == headline
    assert page.locator(".report__meta a[rel=author]").count() >= 1
    assert page.locator(".report__body p").count() >= 4
    assert page.locator(".support").count() >= 2
    assert page.locator("img").first.evaluate(
        "img => img.complete && img.naturalWidth > 0"
    )
    assert page.errors == []


@pytest.mark.django_db
def test_demo_load_is_idempotent(home) -> None:
    first = newsroom_content.load()
    second = newsroom_content.load()
    assert len(first.articles) >= 12
    assert ArticlePage.objects.count() == len(first.articles) == len(second.articles)


@pytest.mark.django_db
def test_goal_bar_block_in_a_report_body_shows_the_funding_bar(client, home) -> None:
    from tribune.funding.tests import factories as funding_factories

    funding_factories.campaign()
    report = factories.article(show_support=False, body=[("goal_bar", None)])
    html = client.get(report.url).content.decode()
    assert html.count('class="goal-bar goal-bar--inline') == 1


@pytest.mark.browser
@live_db
def test_no_demo_page_scrolls_sideways_on_a_phone(live_server, browser) -> None:
    _load_demo()
    funding_content.load()  # the goal bar on top and in the support panels
    client = Client()
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    wide = []
    for url in [*public_urls(client), "/support/", "/support/supporters/"]:
        tab.goto(live_server.url + url)
        scroll, inner = tab.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll > inner:
            wide.append((url, scroll))
    # The first screen of a report shows its whole headline under the chrome.
    tab.goto(live_server.url + ArticlePage.objects.live().first().url)
    bottom = tab.evaluate(
        "document.querySelector('h1.report__title').getBoundingClientRect().bottom"
    )
    context.close()
    assert wide == []
    assert bottom <= 740


SHIPPED_LANGUAGES = ["de", "es", "fr", "uk"]


def _pages_in_every_language(settings) -> list[tuple[str, str]]:
    settings.LANGUAGES = [("en", "English"), *((c, c) for c in SHIPPED_LANGUAGES)]
    article = ArticlePage.objects.live().first()
    return [
        (language, url)
        for language in SHIPPED_LANGUAGES
        for url in ["/", article.url, "/support/", "/search/?q=bridge"]
    ]


@pytest.mark.django_db
def test_pages_in_every_shipped_language_are_valid_html5(client, settings) -> None:
    _load_demo()
    funding_content.load()
    pages = []
    for language, url in _pages_in_every_language(settings):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, (language, url)
        assert f'<html lang="{language}"'.encode() in response.content
        pages.append((f"{url} [{language}]", response.content))
    assert html5_errors(pages) == []


@pytest.mark.browser
@live_db
def test_pages_in_every_shipped_language_have_no_serious_accessibility_violations(
    live_server, browser, settings
) -> None:
    _load_demo()
    funding_content.load()
    failures = []
    for language, url in _pages_in_every_language(settings):
        context = browser.new_context(bypass_csp=True, locale=language)
        tab = context.new_page()
        tab.goto(live_server.url + url)
        assert tab.locator("html").get_attribute("lang") == language
        failures += [(language, v) for v in axe_violations(tab)]
        context.close()
    assert failures == []
