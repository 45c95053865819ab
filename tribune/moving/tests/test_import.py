"""The WordPress import into a real database: a wpDiscuz site, reruns, bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from tribune.discussion.models import Comment, PassageState, Status, Vote
from tribune.moving.models import LegacyRecord
from tribune.moving.wordpress.importer import import_wordpress
from tribune.newsroom.models import ArticlePage, Author, CommentsMode, StandardPage
from tribune.subscriptions.models import Scope, Subscription

DATA = Path(__file__).resolve().parents[1] / "data"
EXPORT = DATA / "riverside-wordpress.xml"
SUBSCRIPTIONS = DATA / "riverside-subscriptions.csv"

pytestmark = pytest.mark.django_db


def _import(path: Path = EXPORT, **kwargs: Any) -> Any:
    report = import_wordpress(path=path, **kwargs)
    assert report.ok, report.render()
    return report


def _comment(legacy_id: str) -> Comment:
    record = LegacyRecord.objects.get(kind="comment", legacy_id=legacy_id)
    return Comment.objects.get(pk=record.object_id)


def test_a_wpdiscuz_post_imports_whole(home: Any) -> None:
    report = _import(subscriptions=SUBSCRIPTIONS)
    page = ArticlePage.objects.get(slug="old-ferry-runs-again")
    _check_report_page(page)
    _check_comments(page)
    _check_subscriptions()
    about = StandardPage.objects.get(slug="about")
    assert about.get_parent().pk == home.pk and about.live
    assert page.pinned  # WordPress's sticky list
    text = report.render()
    assert "shortcode [poll] kept as text" in text
    assert "comment 506: pingback" in text
    assert "subscription 4: not confirmed" in text


def _check_report_page(page: ArticlePage) -> None:
    assert page.live
    assert page.get_parent().slug == "river-towns"
    assert page.date == dt.date(2026, 3, 14)
    assert page.first_published_at == dt.datetime(2026, 3, 14, 8, 30, tzinfo=dt.UTC)
    assert page.lead.startswith("After four months of repairs")
    assert [a.name for a in page.authors.all()] == ["Mara Hollis"]
    assert [t.name for t in page.tags.all()] == ["Ferry"]
    assert page.comments == CommentsMode.OPEN
    types = [block.block_type for block in page.body]
    assert types == [
        "paragraph",
        "heading",
        "feedback_prompt",
        "paragraph",
        "quote",
        "table",
        "paragraph",
    ]
    assert "[poll id=&quot;3&quot;]" in page.body[6].value.source


def _check_comments(page: ArticlePage) -> None:
    first, reply, reply_to_reply = _comment("501"), _comment("502"), _comment("503")
    assert (first.upvotes, first.downvotes, first.score) == (6, 1, 5)
    assert Vote.objects.filter(comment=first).count() == 7
    assert first.author_email == "ines.p@example.net"
    assert first.author_website == "https://ines.example.net/"
    assert reply.parent == first
    assert reply_to_reply.parent == reply
    assert reply_to_reply.depth == 2
    assert reply_to_reply.root == first
    _check_more_comments(page, reply)


def _check_more_comments(page: ArticlePage, reply: Comment) -> None:
    assert reply.edited_at == dt.datetime(2026, 3, 14, 11, 31, tzinfo=dt.UTC)
    assert reply.author is not None
    assert not reply.author.has_usable_password()
    assert not reply.author.is_active
    feedback = _comment("504")
    assert feedback.passage_state == PassageState.ANCHORED
    assert feedback.passage_block == f"{page.body[2].id}.0"
    assert feedback.passage_exact.startswith("The crossing now runs")
    assert _comment("505").status == Status.SPAM
    assert not LegacyRecord.objects.filter(kind="comment", legacy_id="506").exists()
    assert page_thread_count(page) == 4


def _check_subscriptions() -> None:
    first = _comment("501")
    subscriptions = Subscription.objects.order_by("email")
    assert [(s.email, s.scope) for s in subscriptions] == [
        ("ines.p@example.net", Scope.THREAD),
        ("tomas.r@example.com", Scope.COMMENT),
    ]
    assert all(s.confirmed_at for s in subscriptions)
    assert subscriptions[1].comment == first


def imported_pages() -> Any:
    return Page.objects.type(ArticlePage, StandardPage).order_by("pk")


def page_thread_count(page: ArticlePage) -> int:
    from tribune.discussion.models import Thread

    return Thread.objects.get(page_id=page.pk).comment_count


def test_the_author_email_is_kept_private(home: Any, client: Any) -> None:
    _import()
    author = Author.objects.get(slug="mhollis")
    assert author.email == "m.hollis@courier.example.org"
    page = ArticlePage.objects.get(slug="old-ferry-runs-again")
    for address in (page.url, author.get_absolute_url(), "/feed/rss/", "/feed/atom/"):
        response = client.get(address)
        assert response.status_code == 200, address
        assert b"m.hollis@" not in response.content, address


def test_a_rerun_changes_nothing(home: Any) -> None:
    _import(subscriptions=SUBSCRIPTIONS)
    before = {
        "pages": imported_pages().count(),
        "revisions": list(
            imported_pages().values_list("latest_revision_id", flat=True)
        ),
        "comments": list(Comment.objects.values_list("pk", "body_html", "upvotes")),
        "votes": Vote.objects.count(),
        "records": LegacyRecord.objects.count(),
        "redirects": Redirect.objects.count(),
        "subscriptions": Subscription.objects.count(),
        "tags": Tag.objects.count(),
    }
    report = _import(subscriptions=SUBSCRIPTIONS)
    after = {
        "pages": imported_pages().count(),
        "revisions": list(
            imported_pages().values_list("latest_revision_id", flat=True)
        ),
        "comments": list(Comment.objects.values_list("pk", "body_html", "upvotes")),
        "votes": Vote.objects.count(),
        "records": LegacyRecord.objects.count(),
        "redirects": Redirect.objects.count(),
        "subscriptions": Subscription.objects.count(),
        "tags": Tag.objects.count(),
    }
    assert after == before
    assert not report.created["post"] and not report.updated["post"]
    assert report.unchanged["comment"] == 5


def test_a_newer_export_adds_and_updates(home: Any, tmp_path: Path) -> None:
    _import()
    newer = EXPORT.read_text().replace(
        "The old ferry runs again after a winter in the dry dock",
        "The old ferry runs again",
    )
    newer = newer.replace(
        "<wp:comment_content><![CDATA[Agreed.",
        "<wp:comment_content><![CDATA[Agreed, fully.",
    )
    path = tmp_path / "newer.xml"
    path.write_text(newer)
    report = _import(path)
    assert report.updated["post"] == 1 and report.unchanged["page"] == 1
    assert report.updated["comment"] == 1 and report.unchanged["comment"] == 4
    page = ArticlePage.objects.get(slug="old-ferry-runs-again")
    assert page.title == "The old ferry runs again"
    assert _comment("502").body_markdown.startswith("Agreed, fully.")
    assert ArticlePage.objects.count() == StandardPage.objects.count() == 1


def test_a_dry_run_keeps_nothing(home: Any) -> None:
    report = import_wordpress(path=EXPORT, dry_run=True)
    assert report.ok and report.created["post"] == 1
    assert "dry run" in report.render()
    assert not ArticlePage.objects.exists()
    assert not LegacyRecord.objects.exists()
    assert not Comment.objects.exists()


def test_old_addresses_answer_301(home: Any, client: Any) -> None:
    _import()
    page = ArticlePage.objects.get(slug="old-ferry-runs-again")
    about = StandardPage.objects.get(slug="about")
    expected = {
        "/?p=101": page.url,
        "/2026/03/old-ferry-runs-again/": page.url,
        "/2026/03/old-ferry-runs-again/feed/": page.url,
        "/?page_id=2": about.url,
        "/category/river-towns/": page.get_parent().url,
        "/?cat=7": page.get_parent().url,
        "/category/river-towns/feed/": "/feed/river-towns/rss/",
        "/tag/ferry/": "/topics/ferry/",
        "/feed/": "/feed/rss/",
        "/author/mhollis/": "/authors/mhollis/",
        "/?author=2": "/authors/mhollis/",
        "/comments/feed/": "/feed/rss/",
    }
    # The page kept its address: "/about/" is itself now.
    assert about.url == "/about/" and client.get("/about/").status_code == 200
    for old, new in expected.items():
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new, old
    assert client.get(page.url).status_code == 200
    assert client.get("/?unrelated=1").status_code == 200  # the home page


def test_an_unreadable_file_keeps_nothing_and_fails(home: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text(EXPORT.read_text()[:-400])  # cut inside the last item
    report = import_wordpress(path=broken)
    assert "not well-formed XML" in report.error
    assert not LegacyRecord.objects.exists()
    assert not ArticlePage.objects.exists()
    with pytest.raises(CommandError, match="not well-formed"):
        call_command("import_wordpress", str(broken), verbosity=0)
    assert "Failed" in (tmp_path / "broken.xml.report.txt").read_text()


def test_the_command_prints_and_writes_the_report(home: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    call_command("import_wordpress", str(EXPORT), "--report", str(out), verbosity=0)
    text = out.read_text()
    assert "post: 1 new, 0 updated, 0 unchanged" in text
    assert "comment: 5 new" in text


def test_the_command_shows_progress_and_refuses_a_missing_file(
    home: Any, tmp_path: Path
) -> None:
    from io import StringIO

    err = StringIO()
    call_command(
        "import_wordpress",
        str(EXPORT),
        "--report",
        str(tmp_path / "r.txt"),
        "--dry-run",
        stdout=StringIO(),
        stderr=err,
    )
    assert " 50% (1/2)" in err.getvalue()
    assert "100% (2/2)" in err.getvalue()
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_wordpress", str(tmp_path / "nope.xml"))
    with pytest.raises(CommandError, match="No such folder"):
        call_command("import_wordpress", str(EXPORT), "--uploads", str(tmp_path / "x"))


def test_imported_reports_are_valid_html5(home: Any, client: Any) -> None:
    from tribune.core.testing import html5_errors

    _import()
    pages = [
        (page.url, client.get(page.url).content) for page in imported_pages().live()
    ]
    assert len(pages) == 2
    assert html5_errors(pages) == []


def _with_dateline(tmp_path: Path, dateline: str | None) -> Path:
    meta = (
        "<wp:postmeta><wp:meta_key><![CDATA[_tribune_dateline]]></wp:meta_key>"
        f"<wp:meta_value><![CDATA[{dateline}]]></wp:meta_value></wp:postmeta>"
    )
    text = EXPORT.read_text()
    if dateline is not None:
        sticky = "<wp:is_sticky>1</wp:is_sticky>"
        text = text.replace(sticky, f"{sticky}\n{meta}", 1)
    path = tmp_path / f"dateline-{len(list(tmp_path.iterdir()))}.xml"
    path.write_text(text)
    return path


def test_the_dateline_comes_back_and_follows_newer_exports(
    home: Any, tmp_path: Path
) -> None:
    def dateline() -> str:
        return ArticlePage.objects.get(slug="old-ferry-runs-again").dateline

    _import(_with_dateline(tmp_path, "Riverside,\n  upper   bank"))
    assert dateline() == "Riverside, upper bank"
    again = _import(_with_dateline(tmp_path, "Riverside,\n  upper   bank"))
    assert again.unchanged["post"] == 1 and not again.updated["post"]
    moved = _import(_with_dateline(tmp_path, "Lowtown " + "x" * 200))
    assert moved.updated["post"] == 1
    assert dateline() == ("Lowtown " + "x" * 200)[:80]
    gone = _import(_with_dateline(tmp_path, None))
    assert gone.updated["post"] == 1 and dateline() == ""
