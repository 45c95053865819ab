"""The import on WordPress's own test exports (../shared/data/wordpress/)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from wagtail.images import get_image_model
from wagtail.models import Page

from tribune.discussion.models import Comment, Status, Thread
from tribune.moving.models import LegacyRecord
from tribune.moving.tests.conftest import READABLE_EDGE_CASES, wordpress_file
from tribune.moving.wordpress import wxr
from tribune.moving.wordpress.importer import import_wordpress
from tribune.newsroom.models import (
    ArticlePage,
    CommentsMode,
    HomePage,
    StandardPage,
)

pytestmark = pytest.mark.django_db


def _target(kind: str, legacy_id: str) -> int:
    return LegacyRecord.objects.get(kind=kind, legacy_id=legacy_id).object_id


def _content_of(path: Path) -> tuple[list[wxr.Record], list[wxr.Item]]:
    records = list(wxr.read(str(path)))
    items = [r for r in records if isinstance(r, wxr.Item)]
    content = [
        i for i in items if i.post_type in ("post", "page") and i.status != "trash"
    ]
    return records, content


def _check_threads(comments: list[wxr.Comment]) -> None:
    """Every reply's parent is the comment its WordPress parent became."""
    for comment in comments:
        made = Comment.objects.get(pk=_target("comment", comment.comment_id))
        expected = _target("comment", comment.parent) if comment.parent != "0" else None
        assert made.parent_id == expected, comment.comment_id


def _check_terms(records: list[wxr.Record]) -> None:
    """Every category and tag is a series or a topic."""
    terms = [r for r in records if isinstance(r, wxr.Term)]
    for term in terms:
        if term.taxonomy in ("category", "post_tag"):
            assert LegacyRecord.objects.filter(
                kind=term.taxonomy, legacy_id=term.slug
            ).exists(), term.slug


def test_theme_test_data_imports_everything(
    home: Any, uploads: Path, client: Any
) -> None:
    path = wordpress_file("themeunittestdata.wordpress.xml")
    records, content = _content_of(path)
    pings = ("pingback", "trackback")
    comments = [c for i in content for c in i.comments if c.comment_type not in pings]
    # Pages' comments come too, into the plain page's discussion (decision 0031).
    on_pages = [c for i in content if i.post_type == "page" for c in i.comments]
    assert len(on_pages) == 5

    report = import_wordpress(path=path, uploads=uploads)

    assert report.ok, report.render()
    kinds = Counter(i.post_type for i in content)
    assert report.created["post"] == kinds["post"]
    assert report.created["page"] == kinds["page"]
    assert ArticlePage.objects.count() == kinds["post"]
    assert StandardPage.objects.count() == kinds["page"]
    assert report.created["comment"] == len(comments) == Comment.objects.count()
    assert not [s for s in report.skipped if s.kind == "comment" and "page" in s.reason]
    _check_threads(comments)
    _check_page_discussions(content)
    _check_page_tree(content)
    _check_terms(records)
    # The four pictures present in the uploads copy are images; the rest are listed.
    assert get_image_model().objects.count() == 4
    assert "file missing" in report.render()
    _check_pages(client)


def _check_page_discussions(content: list[wxr.Item]) -> None:
    """A page's comments are in its own thread; pages whose comments were open
    or that have comments show a discussion, the others none."""
    modes = {}
    for item in content:
        if item.post_type != "page":
            continue
        page = StandardPage.objects.get(pk=_target("page", item.post_id))
        modes[item.post_name] = page.comments
        for comment in item.comments:
            made = Comment.objects.get(pk=_target("comment", comment.comment_id))
            assert made.thread.page_id == page.pk, comment.comment_id
    assert modes["page-with-comments"] == CommentsMode.OPEN
    assert modes["blog"] == CommentsMode.OPEN
    assert modes["page-with-comments-disabled"] == CommentsMode.HIDDEN
    assert modes["about"] == CommentsMode.HIDDEN
    page = StandardPage.objects.get(slug="page-with-comments")
    thread = Thread.objects.get(page=page)
    assert thread.comment_count == 3  # the fourth, a reply, is pending
    reply = Comment.objects.get(pk=_target("comment", "1017"))
    assert reply.parent_id == _target("comment", "168")
    assert reply.status == Status.PENDING


def _check_page_tree(content: list[wxr.Item]) -> None:
    """Every WordPress page sits under the plain page its parent became."""
    for item in content:
        if item.post_type != "page":
            continue
        page = StandardPage.objects.get(pk=_target("page", item.post_id))
        parent = page.get_parent()
        if item.post_parent == "0":
            assert parent.specific_class is HomePage, item.post_id
        else:
            assert parent.pk == _target("page", item.post_parent), item.post_id


def _check_pages(client: Any) -> None:
    # Nothing that renders a page breaks on imported bodies, and they stay valid HTML.
    from tribune.core.testing import html5_errors

    pages = []
    for page in Page.objects.type(ArticlePage, StandardPage).live().public():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        pages.append((page.url, response.content))
    assert html5_errors(pages) == []
    # Posts with a caption shortcode point at the images that were there.
    images = {
        b.value["image"].pk
        for page in ArticlePage.objects.all()
        for b in page.body
        if b.block_type == "figure"
    }
    assert images == set(get_image_model().objects.values_list("pk", flat=True))


@pytest.mark.parametrize("name", READABLE_EDGE_CASES)
def test_edge_case_fixtures_import(home: Any, name: str) -> None:
    path = wordpress_file(name)
    report = import_wordpress(path=path)
    assert report.ok, report.render()
    items = [
        r
        for r in wxr.read(str(path))
        if isinstance(r, wxr.Item) and r.post_type in ("post", "page")
    ]
    imported = report.created["post"] + report.created["page"]
    skipped = [s for s in report.skipped if s.kind in ("post", "page")]
    assert imported + len(skipped) == len(items), report.render()
    assert Page.objects.type(ArticlePage, StandardPage).count() == imported


@pytest.mark.parametrize(
    "name",
    [
        "malformed-simple.xml",
        "crazy-cdata.xml",
        "missing-version-tag.xml",
        "invalid-version-tag.xml",
        "isso-wordpress.xml",
    ],
)
def test_unreadable_fixtures_fail_clearly_and_keep_nothing(
    home: Any, name: str
) -> None:
    report = import_wordpress(path=wordpress_file(name))
    assert report.error
    assert report.error in report.render()
    assert not LegacyRecord.objects.exists()
    assert not ArticlePage.objects.exists()


def test_block_test_data_imports_as_valid_pages(home: Any, client: Any) -> None:
    from tribune.core.testing import html5_errors

    path = wordpress_file("64-block-test-data.xml")
    report = import_wordpress(path=path)
    assert report.ok, report.render()
    assert report.created["post"] == 61
    pages = []
    for page in ArticlePage.objects.live().public():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        pages.append((page.url, response.content))
    assert html5_errors(pages) == []
