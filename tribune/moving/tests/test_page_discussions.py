"""Comments on WordPress pages: plain pages with a discussion (decision 0031)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wagtail.contrib.redirects.models import Redirect

from tribune.discussion import spam
from tribune.discussion.models import Comment, Status, Thread, Vote
from tribune.moving.models import LegacyRecord
from tribune.moving.wordpress import wxr
from tribune.moving.wordpress.importer import import_wordpress
from tribune.moving.wordpress.posts import page_comments_mode
from tribune.newsroom.models import CommentsMode, StandardPage

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).resolve().parents[1] / "data" / "riverside-wordpress.xml"
# The riverside export's "About" page, as it ends there.
ABOUT_END = "<wp:is_sticky>0</wp:is_sticky>\n\t</item>"


def _comment_xml(cid: str, parent: str, text: str, approved: str = "1") -> str:
    return f"""
		<wp:comment>
			<wp:comment_id>{cid}</wp:comment_id>
			<wp:comment_author><![CDATA[Reader {cid}]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[r{cid}@example.net]]></wp:comment_author_email>
			<wp:comment_author_url></wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[192.0.2.7]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2026-01-06 10:00:{cid[-2:]}]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2026-01-06 10:00:{cid[-2:]}]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[{text}]]></wp:comment_content>
			<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>{parent}</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
			<wp:commentmeta>
				<wp:meta_key><![CDATA[wpdiscuz_votes_seperate]]></wp:meta_key>
				<wp:meta_value><![CDATA[a:2:{{s:4:"like";i:4;s:7:"dislike";i:1;}}]]></wp:meta_value>
			</wp:commentmeta>
		</wp:comment>"""


def export_with_page_comments(
    tmp_path: Path, *, status: str = "open", comments: bool = True, name: str = "x"
) -> Path:
    """The riverside export whose About page has three comments (a reply to a
    reply, and one pending) and the given comment status."""
    text = EXPORT.read_text()
    assert text.count(ABOUT_END) == 1
    thread = ""
    if comments:
        thread = (
            _comment_xml("901", "0", "Who runs the <b>Courier</b>?")
            + _comment_xml("902", "901", "A cooperative of readers.")
            + _comment_xml("903", "902", "Held for now.", approved="0")
        )
    text = text.replace(ABOUT_END, f"<wp:is_sticky>0</wp:is_sticky>{thread}\n\t</item>")
    closed = "<wp:comment_status><![CDATA[closed]]></wp:comment_status>"
    about_at = text.index("<wp:post_name><![CDATA[about]]>")
    head, tail = text[:about_at], text[about_at:]
    cut = head.rindex(closed)
    head = (
        head[:cut]
        + f"<wp:comment_status><![CDATA[{status}]]></wp:comment_status>"
        + head[cut + len(closed) :]
    )
    path = tmp_path / f"{name}.xml"
    path.write_text(head + tail)
    return path


def _form(body: str) -> dict[str, str]:
    """A guest's comment form as the page serves it."""
    return {
        "body": body,
        "name": "Kim Reader",
        "email": "kim@example.org",
        "website": "",
        "key": "k" * 32,
        "started": spam.issue_form_token(),
        "nickname": "",
    }


def _import(path: Path) -> Any:
    report = import_wordpress(path=path)
    assert report.ok, report.render()
    return report


def _made(legacy_id: str) -> Comment:
    record = LegacyRecord.objects.get(kind="comment", legacy_id=legacy_id)
    return Comment.objects.get(pk=record.object_id)


def test_a_pages_comments_come_with_their_threading_and_votes(
    home: Any, tmp_path: Path, client: Any
) -> None:
    report = _import(export_with_page_comments(tmp_path))
    assert report.created["comment"] == 8  # the post's five, the page's three
    assert not [s for s in report.skipped if "plain page" in s.reason]
    about = StandardPage.objects.get(slug="about")
    assert about.comments == CommentsMode.OPEN
    thread = Thread.objects.get(page_id=about.pk)
    top, reply, held = _made("901"), _made("902"), _made("903")
    assert {top.thread_id, reply.thread_id, held.thread_id} == {thread.pk}
    assert (reply.parent, held.parent, held.root) == (top, reply, top)
    assert held.status == Status.PENDING
    assert (top.upvotes, top.downvotes) == (4, 1)
    assert Vote.objects.filter(comment=top).count() == 5
    assert thread.comment_count == 2
    text = client.get(about.url).content.decode()
    assert "Who runs the Courier?" in text and "<b>Courier" not in text
    assert "A cooperative of readers." in text
    assert "Held for now." not in text
    assert f'data-page="{about.pk}"' in text  # the comment form and old links' script
    assert f'action="/comments/{about.pk}/post/"' in text


def test_a_rerun_changes_nothing_on_the_page_or_its_comments(
    home: Any, tmp_path: Path
) -> None:
    path = export_with_page_comments(tmp_path)
    _import(path)
    about = StandardPage.objects.get(slug="about")
    before = (
        about.latest_revision_id,
        list(Comment.objects.order_by("pk").values_list("pk", "body_html", "upvotes")),
        Vote.objects.count(),
        Redirect.objects.count(),
    )
    again = _import(path)
    about.refresh_from_db()
    after = (
        about.latest_revision_id,
        list(Comment.objects.order_by("pk").values_list("pk", "body_html", "upvotes")),
        Vote.objects.count(),
        Redirect.objects.count(),
    )
    assert after == before
    assert again.unchanged["page"] == 1 and not again.updated["page"]
    assert again.unchanged["comment"] == 8 and not again.updated["comment"]


def test_old_links_to_a_pages_comment_find_it(
    home: Any, tmp_path: Path, client: Any
) -> None:
    _import(export_with_page_comments(tmp_path))
    about = StandardPage.objects.get(slug="about")
    reply, held = _made("902"), _made("903")
    assert client.get("/?page_id=2")["Location"] == about.url
    found = client.get(f"/moved/comment/{about.pk}/902/")
    assert found.status_code == 301
    assert found["Location"] == f"{about.url}?comment={reply.pk}#comment-{reply.pk}"
    # A held comment is not shown: the old link lands on the comments.
    hidden = client.get(f"/moved/comment/{about.pk}/903/")
    assert hidden["Location"] == f"{about.url}#comments"
    assert held.status == Status.PENDING
    # The home page has no discussion: no old comment lives there.
    assert client.get(f"/moved/comment/{home.pk}/902/").status_code == 404
    permalink = client.get(f"{about.url}?comment={reply.pk}")
    assert permalink.status_code == 200
    assert f'id="comment-{reply.pk}"' in permalink.content.decode()


def test_an_old_link_to_a_held_comment_never_lands_on_a_tribune_comment_of_that_number(
    home: Any, tmp_path: Path, client: Any
) -> None:
    # Tribune's own ids grow past WordPress's: an old link to a held comment
    # must not land on whichever shown comment now has that number.
    _import(export_with_page_comments(tmp_path))
    about = StandardPage.objects.get(slug="about")
    reply = _made("902")
    held = LegacyRecord.objects.get(kind="comment", legacy_id="903")
    for old in ("901", "902"):  # out of the way of the id we give the held one
        LegacyRecord.objects.filter(kind="comment", legacy_id=old).update(
            legacy_id=f"moved-{old}"
        )
    LegacyRecord.objects.filter(pk=held.pk).update(legacy_id=str(reply.pk))
    hidden = client.get(f"/moved/comment/{about.pk}/{reply.pk}/")
    assert hidden.status_code == 301
    assert hidden["Location"] == f"{about.url}#comments"
    # With no WordPress comment of that number, Tribune's own id still works.
    LegacyRecord.objects.filter(pk=held.pk).update(legacy_id="moved-903")
    own = client.get(f"/moved/comment/{about.pk}/{reply.pk}/")
    assert own["Location"] == f"{about.url}?comment={reply.pk}#comment-{reply.pk}"


def test_a_closed_page_keeps_its_comments_readable_and_takes_no_new_ones(
    home: Any, tmp_path: Path, client: Any
) -> None:
    _import(export_with_page_comments(tmp_path, status="closed"))
    about = StandardPage.objects.get(slug="about")
    assert about.comments == CommentsMode.CLOSED
    text = client.get(about.url).content.decode()
    assert "A cooperative of readers." in text
    assert f'action="/comments/{about.pk}/post/"' not in text
    response = client.post(f"/comments/{about.pk}/post/", _form("Late"))
    assert response.status_code in (400, 403)
    assert not Comment.objects.filter(body_markdown="Late").exists()


def test_a_page_with_comments_closed_and_none_has_no_discussion(
    home: Any, tmp_path: Path, client: Any
) -> None:
    _import(export_with_page_comments(tmp_path, status="closed", comments=False))
    about = StandardPage.objects.get(slug="about")
    assert about.comments == CommentsMode.HIDDEN
    assert not Thread.objects.filter(page_id=about.pk).exists()
    text = client.get(about.url).content.decode()
    assert "data-discussion" not in text
    response = client.post(f"/comments/{about.pk}/post/", _form("Hello"))
    assert response.status_code in (400, 403, 404)
    assert not Comment.objects.filter(body_markdown="Hello").exists()


def test_comments_appearing_on_a_page_in_a_newer_export_open_its_discussion(
    home: Any, tmp_path: Path, client: Any
) -> None:
    _import(export_with_page_comments(tmp_path, status="closed", comments=False))
    newer = _import(export_with_page_comments(tmp_path, status="closed", name="newer"))
    assert newer.updated["page"] == 1 and newer.created["comment"] == 3
    about = StandardPage.objects.get(slug="about")
    assert about.comments == CommentsMode.CLOSED
    assert "A cooperative of readers." in client.get(about.url).content.decode()


def test_a_reader_comments_on_an_open_page(
    home: Any, tmp_path: Path, client: Any, settings: Any
) -> None:
    settings.DISCUSSION_MIN_FILL_SECONDS = 0  # the form is sent at once
    _import(export_with_page_comments(tmp_path))
    about = StandardPage.objects.get(slug="about")
    response = client.post(f"/comments/{about.pk}/post/", _form("Thanks for the page."))
    assert response.status_code == 303
    made = Comment.objects.get(body_markdown="Thanks for the page.")
    assert made.thread.page_id == about.pk


@pytest.mark.parametrize(
    ("status", "meta", "comment_types", "expected"),
    [
        ("open", {}, [], CommentsMode.OPEN),
        ("closed", {}, [], CommentsMode.HIDDEN),
        ("closed", {}, ["comment"], CommentsMode.CLOSED),
        ("closed", {}, ["pingback", "trackback"], CommentsMode.HIDDEN),
        ("open", {"wpdiscuz_closed": "1"}, [], CommentsMode.CLOSED),
        ("closed", {"wpdiscuz_closed": "0"}, [], CommentsMode.HIDDEN),
        ("", {}, [], CommentsMode.DEFAULT),
    ],
)
def test_a_pages_discussion_follows_its_comment_status_and_comments(
    status: str, meta: dict[str, str], comment_types: list[str], expected: str
) -> None:
    item = wxr.Item(
        post_id="7",
        post_type="page",
        comment_status=status,
        meta=meta,
        comments=[
            wxr.Comment(comment_id=str(n), comment_type=kind)
            for n, kind in enumerate(comment_types)
        ],
    )
    assert page_comments_mode(item) == expected
