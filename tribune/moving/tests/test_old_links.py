"""Old "#comment-ID" links of imported comments find the comment's new place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tribune.moving.models import LegacyRecord
from tribune.moving.wordpress.importer import import_wordpress
from tribune.newsroom.models import ArticlePage

EXPORT = Path(__file__).resolve().parents[1] / "data" / "riverside-wordpress.xml"


def _imported() -> tuple[ArticlePage, int]:
    assert import_wordpress(path=EXPORT).ok
    page = ArticlePage.objects.get(slug="old-ferry-runs-again")
    comment_pk = LegacyRecord.objects.get(kind="comment", legacy_id="502").object_id
    return page, comment_pk


@pytest.mark.django_db
def test_the_moved_comment_address_answers_301(
    home: Any, client: Any, django_assert_num_queries: Any
) -> None:
    page, pk = _imported()
    with django_assert_num_queries(3):  # the page, its site, the comment (one join)
        response = client.get(f"/moved/comment/{page.pk}/502/")
    assert response.status_code == 301
    assert response["Location"] == f"{page.url}?comment={pk}#comment-{pk}"
    spam = client.get(f"/moved/comment/{page.pk}/505/")  # not shown: to the thread
    assert spam["Location"] == f"{page.url}#comments"
    assert client.get("/moved/comment/999999/502/").status_code == 404
    assert client.post(f"/moved/comment/{page.pk}/502/").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "legacy_id",
    ["9" * 5000, "9" * 25, "\u00b2", "\u0663\u0660\u0662", "\u202e502", "-1"],
)
def test_an_odd_old_comment_number_lands_on_the_thread(
    home: Any, client: Any, legacy_id: str
) -> None:
    # Huge numbers, digits int() refuses and bidi marks once gave a 500.
    page, _pk = _imported()
    response = client.get(f"/moved/comment/{page.pk}/{legacy_id}/")
    assert response.status_code == 301
    assert response["Location"] == f"{page.url}#comments"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_old_comment_link_lands_on_the_comment(
    home: Any, page: Any, live_server: Any
) -> None:
    _article, pk = _imported()
    page.goto(live_server.url + "/2026/03/old-ferry-runs-again/#comment-502")
    page.wait_for_url(f"**?comment={pk}#comment-{pk}")
    assert page.locator(f"#comment-{pk}").is_visible()
    assert page.errors == []
