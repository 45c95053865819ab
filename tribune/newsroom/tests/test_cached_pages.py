"""Whole pages in the page cache follow what editors publish: a publish, an
unpublish, a move or a deletion shows on the next request, not when the cached
copy times out (PAGECACHE_SECONDS)."""

from __future__ import annotations

import pytest
from django.test import Client

from tribune.newsroom.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PAGECACHE_SECONDS = 600


def _hit(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_edit_shows_on_the_next_request(home, cached) -> None:
    report = factories.article(title="Levy vote on Thursday")
    other = factories.article(title="Bridge reopens")
    assert "Levy vote on Thursday" in _hit(report.url)
    assert "Levy vote on Thursday" in _hit(home.url)
    assert Client().get(report.url)["X-Page-Cache"] == "hit"

    report.title = "Levy vote moved to Friday"
    report.save_revision().publish()

    assert "Levy vote moved to Friday" in _hit(report.url)
    assert "Levy vote moved to Friday" in _hit(home.url)  # lists show it too
    assert "Bridge reopens" in _hit(other.url)


def test_a_draft_leaves_the_cached_copy(home, cached) -> None:
    report = factories.article(title="Levy vote on Thursday")
    _hit(report.url)
    report.title = "Not yet public"
    report.save_revision()
    assert Client().get(report.url)["X-Page-Cache"] == "hit"
    assert "Not yet public" not in _hit(report.url)


def test_an_unpublished_or_deleted_report_leaves_the_lists(home, cached) -> None:
    gone = factories.article(title="Withdrawn story")
    removed = factories.article(title="Deleted story")
    page = _hit(home.url)
    assert "Withdrawn story" in page and "Deleted story" in page
    gone.unpublish()
    assert Client().get(gone.url).status_code == 404
    removed.delete()
    page = _hit(home.url)
    assert "Withdrawn story" not in page and "Deleted story" not in page
