"""The series menu, kept per process until a page, site or restriction changes."""

from __future__ import annotations

import re

from django.test import Client
from wagtail.models import PageViewRestriction

from tribune.core import generations
from tribune.core.testing import queries_of_get
from tribune.newsroom import selectors
from tribune.newsroom.tests import factories

MENU = re.compile(r'<nav class="site-nav".*?</nav>', re.S)


def _menu(client: Client, url: str) -> str:
    found = MENU.search(client.get(url).content.decode())
    return found.group(0) if found else ""


def test_the_menu_is_read_once_and_shows_each_live_series(client: Client, home) -> None:
    first = factories.series(title="Valley <Water>")
    report = factories.article(in_series=first)
    menu = _menu(client, report.url)
    assert f'<a href="{first.url}" aria-current="page">' not in menu
    assert f'<a href="{first.url}">Valley &lt;Water&gt;</a>' in menu
    kept = queries_of_get(client, report.url)
    generations.advance(selectors.MENU_GENERATION)
    # The series and their private sections, read again once, then kept.
    assert queries_of_get(client, report.url) == kept + 2
    assert queries_of_get(client, report.url) == kept
    assert f'<a href="{first.url}" aria-current="page">' in _menu(client, first.url)


def test_a_new_renamed_or_unpublished_series_shows_at_once(
    client: Client, home
) -> None:
    first = factories.series(title="First")
    report = factories.article(in_series=first)
    assert "First" in _menu(client, report.url)
    second = factories.series(title="Second")
    assert "Second" in _menu(client, report.url)
    second.title = "Renamed"
    second.save_revision().publish()
    menu = _menu(client, report.url)
    assert "Renamed" in menu and "Second" not in menu
    second.unpublish()
    assert "Renamed" not in _menu(client, report.url)


def test_a_series_made_private_leaves_the_menu(client: Client, home) -> None:
    first = factories.series(title="Open")
    hidden = factories.series(title="Members")
    report = factories.article(in_series=first)
    assert "Members" in _menu(client, report.url)
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.LOGIN
    )
    assert "Members" not in _menu(client, report.url)
