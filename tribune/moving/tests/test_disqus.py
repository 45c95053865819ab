"""The Disqus import, end to end on the shared Isso export and on small files."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect

from tribune.discussion.models import Comment, Status, Thread
from tribune.moving.disqus.importer import import_disqus
from tribune.moving.disqus.reader import (
    DisqusPost,
    DisqusReadError,
    parse_date,
    read_export,
)
from tribune.moving.models import LegacyRecord, Source
from tribune.moving.tests.shared_data import shared_data
from tribune.newsroom.models import ArticlePage
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db

HEAD = (
    '<?xml version="1.0"?>\n<disqus xmlns="http://disqus.com" '
    'xmlns:dsq="http://disqus.com/disqus-internals">\n'
)


def isso_export() -> Path:
    return shared_data("disqus", "isso-disqus.xml")


def write_export(tmp_path: Path, body: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body + "\n</disqus>\n", encoding="utf-8")
    return path


def thread_xml(dsq_id: str, link: str, title: str, ident: str = "") -> str:
    return (
        f'<thread dsq:id="{dsq_id}"><id>{ident}</id><forum>valley</forum>'
        f"<link>{link}</link><title>{title}</title>"
        "<createdAt>2020-01-01T10:00:00Z</createdAt></thread>"
    )


def post_xml(
    dsq_id: str, thread: str, message: str, parent: str = "", **flags: str
) -> str:
    parent_xml = f'<parent dsq:id="{parent}"/>' if parent else ""
    return (
        f'<post dsq:id="{dsq_id}"><message><![CDATA[{message}]]></message>'
        "<createdAt>2020-01-02T10:00:00Z</createdAt>"
        f"<isDeleted>{flags.get('deleted', 'false')}</isDeleted>"
        f"<isSpam>{flags.get('spam', 'false')}</isSpam>"
        "<author><name>Rowan</name><email>rowan@example.org</email>"
        "<isAnonymous>true</isAnonymous></author>"
        f'<thread dsq:id="{thread}"/>{parent_xml}</post>'
    )


@pytest.fixture
def isso_pages(home):
    """Reports for the two threads of the Isso export that have posts."""
    series = newsroom.series("Blog")
    hello = newsroom.article(in_series=series, title="Hello, World!")
    redacted = newsroom.article(in_series=series, title="Something else")
    # The WordPress import keeps old addresses as Wagtail redirects.
    Redirect.add_redirect("/blog/2013/02/12/redacted/index.html", redirect_to=redacted)
    return hello, redacted


def comments_of(page) -> dict[str, Comment]:
    """The thread's comments that came from Disqus, by their Disqus id."""
    thread = Thread.objects.get(page=page)
    ids = dict(
        LegacyRecord.objects.filter(
            source=Source.DISQUS, kind="post", content_type__model="comment"
        ).values_list("object_id", "legacy_id")
    )
    return {ids[c.pk]: c for c in thread.comments.all() if c.pk in ids}


def test_reader_streams_threads_and_posts_with_ids_parents_and_flags():
    items = list(read_export(str(isso_export())))
    posts = {i.dsq_id: i for i in items if isinstance(i, DisqusPost)}
    assert sorted(posts) == ["11", "4", "5", "6", "8", "9"]
    assert posts["5"].parent_id == "4"
    assert posts["5"].message == "<p>Hello, World.</p>"
    assert posts["9"].deleted
    assert posts["4"].anonymous
    assert posts["5"].author_username == "user"
    assert posts["6"].thread_id == "1337"
    assert posts["4"].created_at == dt.datetime(2013, 10, 10, 19, 20, 29, tzinfo=dt.UTC)


def test_parse_date_accepts_disqus_dates_and_refuses_nonsense():
    assert parse_date("2013-10-10T19:20:29") == dt.datetime(
        2013, 10, 10, 19, 20, 29, tzinfo=dt.UTC
    )
    assert parse_date("yesterday") is None
    assert parse_date("") is None


def test_isso_export_imports_threads_by_title_and_old_address(isso_pages):
    hello, redacted = isso_pages
    import_disqus(str(isso_export()))
    found = comments_of(hello)
    assert sorted(found) == ["11", "4", "5", "9"]
    assert found["5"].parent_id == found["4"].pk
    assert found["11"].parent_id == found["9"].pk
    assert found["5"].body_markdown == "Hello, World."
    assert found["5"].body_html == "<p>Hello, World.</p>"
    assert list(comments_of(redacted)) == ["8"]


def test_isso_export_keeps_authors_dates_and_statuses(isso_pages):
    hello, _ = isso_pages
    import_disqus(str(isso_export()))
    found = comments_of(hello)
    assert found["4"].author_name == "peter"
    assert found["4"].author_email == "foo@bar.com"
    assert found["4"].created_at == dt.datetime(2013, 10, 10, 19, 20, 29, tzinfo=dt.UTC)
    assert found["9"].status == Status.DELETED
    assert found["9"].deleted_at is not None
    assert {found[k].status for k in ("4", "5", "11")} == {Status.APPROVED}
    assert Thread.objects.get(page=hello).comment_count == 3


def test_isso_export_report_counts_matches_and_skips(isso_pages):
    report = import_disqus(str(isso_export()))
    assert report.counts["comments added"] == 5
    assert report.counts["threads matched by title"] == 1
    assert report.counts["threads matched by redirect"] == 1
    assert report.counts["threads without posts"] == 1
    assert report.counts["posts skipped"] == 1
    assert any(
        "post 6: its thread 1337 is not in the export" in s for s in report.skipped
    )


def test_deleted_comment_and_emails_stay_out_of_the_public_page(isso_pages, client):
    hello, _ = isso_pages
    import_disqus(str(isso_export()))
    Comment.objects.filter(status=Status.DELETED).update(body_markdown="SECRET-GONE")
    page = client.get(hello.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hello, World." in text
    assert "peter" in text
    assert "foo@bar.com" not in text
    assert "SECRET-GONE" not in text


def test_running_the_same_export_twice_changes_nothing(isso_pages):
    import_disqus(str(isso_export()))
    before = list(Comment.objects.values_list("pk", "status", "body_markdown"))
    report = import_disqus(str(isso_export()))
    assert list(Comment.objects.values_list("pk", "status", "body_markdown")) == before
    assert report.counts["comments unchanged"] == 5
    assert report.counts["comments added"] == 0


def test_newer_export_updates_what_changed(isso_pages, tmp_path):
    hello, _ = isso_pages
    import_disqus(str(isso_export()))
    newer = isso_export().read_text(encoding="utf-8")
    # Post 5 was marked as spam since the first export.
    newer = newer.replace(
        "<isSpam>false</isSpam>\n        <author>\n            <email>foo@bar.com</email>\n"
        "            <name>user</name>",
        "<isSpam>true</isSpam>\n        <author>\n            <email>foo@bar.com</email>\n"
        "            <name>user</name>",
        1,
    )
    path = tmp_path / "newer.xml"
    path.write_text(newer, encoding="utf-8")
    report = import_disqus(str(path))
    assert report.counts["comments updated"] == 1
    assert comments_of(hello)["5"].status == Status.SPAM
    assert Thread.objects.get(page=hello).comment_count == 2
    assert Comment.objects.count() == 5


def test_dry_run_saves_nothing_and_reports_the_same_counts(isso_pages):
    report = import_disqus(str(isso_export()), dry_run=True)
    assert report.counts["comments added"] == 5
    assert report.lines()[0].startswith("Disqus import (dry run")
    assert not Comment.objects.exists()
    assert not LegacyRecord.objects.exists()


def test_thread_matched_by_its_address_and_by_a_wordpress_post_id(home, tmp_path):
    series = newsroom.series("News")
    by_url = newsroom.article(in_series=series, title="Flood defences")
    by_id = newsroom.article(in_series=series, title="Bridge reopens")
    LegacyRecord.objects.create(
        source=Source.WORDPRESS,
        site_key="https://old.example",
        kind="post",
        legacy_id="12",
        content_type_id=by_id.content_type_id,
        object_id=by_id.pk,
    )
    path = write_export(
        tmp_path,
        thread_xml("1", f"https://old.example{by_url.url}", "Another title")
        + thread_xml("2", "https://old.example/?p=12", "")
        + thread_xml("3", "https://old.example/lost/", "", ident="12 https://x/?p=12")
        + post_xml("10", "1", "<p>On <b>flood</b> walls</p>")
        + post_xml("11", "2", "Second")
        + post_xml("12", "3", "Third"),
    )
    report = import_disqus(str(path))
    assert report.counts["threads matched by url"] == 1
    assert report.counts["threads matched by wordpress id"] == 2
    assert comments_of(by_url)["10"].body_markdown == "On **flood** walls"
    assert sorted(comments_of(by_id)) == ["11", "12"]


def test_unmatched_and_ambiguous_threads_are_skipped_with_the_reason(home, tmp_path):
    series = newsroom.series("News")
    newsroom.article(in_series=series, title="Twice")
    newsroom.article(in_series=series, title="Twice")
    path = write_export(
        tmp_path,
        thread_xml("1", "https://old.example/nowhere/", "Nobody wrote this")
        + thread_xml("2", "https://old.example/twice/", "Twice")
        + post_xml("10", "1", "Lost")
        + post_xml("11", "2", "Lost too")
        + post_xml("12", "2", "Reply", parent="11", spam="true"),
    )
    report = import_disqus(str(path))
    assert not Comment.objects.exists()
    assert report.counts["threads skipped"] == 2
    assert report.counts["posts skipped"] == 3
    assert any("no address or title matches a report" in s for s in report.skipped)
    assert any("several reports have this title" in s for s in report.skipped)


def test_reply_to_a_missing_parent_is_kept_at_the_top_level_and_noted(home, tmp_path):
    page = newsroom.article(in_series=newsroom.series(), title="Orphans")
    path = write_export(
        tmp_path,
        thread_xml("1", "", "Orphans") + post_xml("10", "1", "Hi", parent="999"),
    )
    report = import_disqus(str(path))
    assert comments_of(page)["10"].parent_id is None
    assert any(
        "post 10: its parent 999 is not in the thread" in n for n in report.notes
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('<disqus xmlns="http://disqus.com"><thread', "malformed XML"),
        (
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;">]><disqus xmlns="http://disqus.com">&b;</disqus>',
            "refused XML",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<disqus xmlns="http://disqus.com">&x;</disqus>',
            "refused XML",
        ),
        ('<rss version="2.0"><channel/></rss>', "not a Disqus export"),
        ("", "malformed XML"),
    ],
)
def test_unreadable_files_are_refused_before_anything_is_written(
    tmp_path, body, reason
):
    path = tmp_path / "bad.xml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DisqusReadError, match=reason):
        import_disqus(str(path))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_disqus", str(path), report=tmp_path / "r.txt")
    assert not Comment.objects.exists()


def test_command_prints_the_report_and_writes_it_to_a_file(
    isso_pages, tmp_path, capsys
):
    target = tmp_path / "report.txt"
    call_command("import_disqus", str(isso_export()), report=target)
    out = capsys.readouterr().out
    assert "comments added: 5" in out
    written = target.read_text(encoding="utf-8")
    assert "comments added: 5" in written
    assert "skipped post 6: its thread 1337 is not in the export" in written


def test_command_exits_non_zero_for_a_missing_file(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "tribune", "import_disqus", str(tmp_path / "none.xml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "no such file" in done.stderr


def test_reply_before_its_parent_in_the_file_waits_for_it(home, tmp_path):
    page = newsroom.article(in_series=newsroom.series(), title="Order")
    path = write_export(
        tmp_path,
        post_xml("12", "1", "Deepest", parent="11")
        + post_xml("11", "1", "Reply", parent="10")
        + thread_xml("1", "", "Order")
        + post_xml("10", "1", "Top"),
    )
    report = import_disqus(str(path))
    found = comments_of(page)
    assert found["11"].parent_id == found["10"].pk
    assert found["12"].parent_id == found["11"].pk
    assert found["12"].depth == 2
    assert report.counts["comments added"] == 3
    assert not report.notes


def test_the_reader_streams_a_large_export_in_bounded_memory(tmp_path):
    path = tmp_path / "large.xml"
    message = "<p>" + "A long comment about the river. " * 150 + "</p>"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD + thread_xml("1", "https://old.example/a/", "A"))
        for n in range(4000):
            out.write(
                post_xml(str(n + 10), "1", message, parent=str(n + 9) if n else "")
            )
        out.write("</disqus>\n")
    assert path.stat().st_size > 18_000_000
    tracemalloc.start()
    try:
        posts = sum(isinstance(i, DisqusPost) for i in read_export(str(path)))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert posts == 4000
    assert peak < 2_000_000


def test_markup_in_messages_is_made_harmless(home, tmp_path):
    page = newsroom.article(in_series=newsroom.series(), title="Tricks")
    path = write_export(
        tmp_path,
        thread_xml("1", "", "Tricks")
        + post_xml(
            "10",
            "1",
            '<script>alert(1)</script><a href="javascript:alert(2)">x</a>'
            '<img src="x" onerror="alert(3)"><p>Fine <a href="https://a.example/">link</a></p>',
        ),
    )
    import_disqus(str(path))
    html = comments_of(page)["10"].body_html
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "onerror" not in html
    assert '<a href="https://a.example/" rel="nofollow ugc noopener">link</a>' in html


def test_threads_find_reports_the_wordpress_import_made_by_their_old_links(
    home, tmp_path
):
    riverside = Path(__file__).resolve().parents[1] / "data" / "riverside-wordpress.xml"
    call_command("import_wordpress", str(riverside), report=tmp_path / "wp.txt")
    path = write_export(
        tmp_path,
        thread_xml("1", "https://courier.example.org/2026/03/old-ferry-runs-again/", "")
        + thread_xml("2", "https://courier.example.org/?p=101", "")
        + thread_xml("3", "http://courier.example.org/about/", "")
        + post_xml("10", "1", "By the old permalink")
        + post_xml("11", "2", "By the post id")
        + post_xml("12", "3", "On a page"),
    )
    report = import_disqus(str(path))
    ferry = ArticlePage.objects.get(title__startswith="The old ferry runs again")
    assert {"10", "11"} <= set(comments_of(ferry))
    # The WordPress page became a plain page, which has no discussion.
    assert not Comment.objects.filter(body_html__contains="On a page").exists()
    assert report.counts["threads skipped"] == 1
