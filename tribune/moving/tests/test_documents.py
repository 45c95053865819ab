"""Attachments that are not pictures become Wagtail documents, and the body plays
or links them; missing files are listed, never fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wagtail.documents import get_document_model

from tribune.moving.models import LegacyRecord
from tribune.moving.wordpress.importer import import_wordpress
from tribune.newsroom.models import ArticlePage

pytestmark = pytest.mark.django_db

SITE = "https://old.example.org"
UP = f"{SITE}/wp-content/uploads/2026/03"


def _attachment(post_id: int, name: str, parent: int = 10) -> str:
    return f"""<item><title>{name}</title><guid>{UP}/{name}</guid>
<wp:post_id>{post_id}</wp:post_id><wp:post_type>attachment</wp:post_type>
<wp:status>inherit</wp:status><wp:post_parent>{parent}</wp:post_parent>
<wp:attachment_url>{UP}/{name}</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>
<wp:meta_value>2026/03/{name}</wp:meta_value></wp:postmeta></item>"""


BODY = f"""<p>Read <a href="{UP}/budget.pdf">the budget</a> and
<a href="{UP}/minutes.docx">the minutes</a>.</p>
[audio mp3="{UP}/interview.mp3"][/audio]
<!-- wp:video --><figure class="wp-block-video"><video controls src="{UP}/flood.mp4">
</video><figcaption>The quay at dawn</figcaption></figure><!-- /wp:video -->
<audio controls><source src="{UP}/interview.mp3" type="audio/mpeg"></audio>
[playlist ids="3,99"]
[video src="https://www.youtube.com/watch?v=abc"][/video]
[audio src="https://cdn.example.net/show.mp3"]
[audio src="{UP}/lost.ogg"]"""


def _export(body: str = BODY) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old</title><link>{SITE}</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{SITE}</wp:base_site_url>
{_attachment(1, "budget.pdf")}{_attachment(2, "minutes.docx")}
{_attachment(3, "interview.mp3")}{_attachment(4, "flood.mp4")}
<item><title>Council papers</title><link>{SITE}/council-papers/</link>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>10</wp:post_id><wp:post_name>council-papers</wp:post_name>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<wp:post_date>2026-03-14 08:00:00</wp:post_date></item>
</channel></rss>"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    uploads = tmp_path / "uploads"
    folder = uploads / "2026" / "03"
    folder.mkdir(parents=True)
    (folder / "budget.pdf").write_bytes(b"%PDF-1.4\n% budget\n%%EOF\n")
    (folder / "interview.mp3").write_bytes(b"ID3\x03\x00" + b"\x00" * 64)
    (folder / "flood.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    export = tmp_path / "export.xml"
    export.write_text(_export(), encoding="utf-8")
    return export, uploads


def test_files_become_documents_that_the_body_plays_and_links(
    home: Any, files: tuple[Path, Path], client: Any
) -> None:
    export, uploads = files
    report = import_wordpress(path=export, uploads=uploads)
    assert report.ok, report.render()
    documents = {d.title: d for d in get_document_model().objects.all()}
    assert sorted(documents) == ["budget.pdf", "flood.mp4", "interview.mp3"]
    assert documents["budget.pdf"].file.read().startswith(b"%PDF")
    page = ArticlePage.objects.get(slug="council-papers")
    blocks = [(b.block_type, b.value) for b in page.body]
    media = [
        (v["player"], v["document"].title, v["caption"])
        for kind, v in blocks
        if kind == "media"
    ]
    assert media == [
        ("audio", "interview.mp3", ""),
        ("video", "flood.mp4", "The quay at dawn"),
        ("audio", "interview.mp3", ""),
        ("audio", "interview.mp3", ""),  # the playlist's attachment 3
    ]
    paragraph = blocks[0][1].source
    assert f'<a id="{documents["budget.pdf"].pk}" linktype="document">' in paragraph
    assert f"{UP}/minutes.docx" in paragraph  # not imported: the old link stays
    assert [v.url for k, v in blocks if k == "embed"] == [
        "https://www.youtube.com/watch?v=abc"
    ]
    assert 'href="https://cdn.example.net/show.mp3"' in blocks[-1][1].source
    text = report.render()
    assert "document: 3 new" in text
    assert f"attachment 2: file missing: {UP}/minutes.docx" in text
    assert f"post 10: file missing: {UP}/minutes.docx" in text
    assert f"post 10: file missing: {UP}/lost.ogg" in text
    assert "post 10: file missing: attachment 99" in text
    assert "media on another site, linked: https://cdn.example.net/show.mp3" in text
    html = client.get(page.url).content.decode()
    audio = documents["interview.mp3"].url
    assert f'<audio controls preload="metadata" src="{audio}">' in html
    assert f'<video controls preload="metadata" src="{documents["flood.mp4"].url}"' in (
        html
    )
    assert f'href="{documents["budget.pdf"].url}"' in html


def test_a_rerun_with_documents_changes_nothing(
    home: Any, files: tuple[Path, Path]
) -> None:
    export, uploads = files
    import_wordpress(path=export, uploads=uploads)
    page = ArticlePage.objects.get(slug="council-papers")
    revisions = page.revisions.count()
    report = import_wordpress(path=export, uploads=uploads)
    assert "document: 0 new, 0 updated, 3 unchanged" in report.render()
    assert "post: 0 new, 0 updated, 1 unchanged" in report.render()
    assert get_document_model().objects.count() == 3
    assert LegacyRecord.objects.filter(kind="document").count() == 3
    assert page.revisions.count() == revisions


def test_without_uploads_every_file_is_listed_and_nothing_fetched(
    home: Any, files: tuple[Path, Path]
) -> None:
    export, _uploads = files
    report = import_wordpress(path=export)
    assert report.ok
    assert not get_document_model().objects.exists()
    text = report.render()
    for name in ("budget.pdf", "interview.mp3", "flood.mp4"):
        assert f"file missing: {UP}/{name}" in text
    page = ArticlePage.objects.get(slug="council-papers")
    assert "media" not in [b.block_type for b in page.body]


def test_a_file_outside_the_uploads_folder_is_not_taken(
    home: Any, tmp_path: Path
) -> None:
    (tmp_path / "secret.pdf").write_bytes(b"%PDF secret")
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    escaping = _attachment(5, "x.pdf").replace("2026/03/x.pdf<", "../secret.pdf<")
    export = tmp_path / "export.xml"
    export.write_text(_export().replace("</channel>", escaping + "</channel>"))
    report = import_wordpress(path=export, uploads=uploads)
    assert "attachment 5: file missing" in report.render()
    assert not get_document_model().objects.filter(title="x.pdf").exists()


def _documents(n: int) -> list[Any]:
    from django.core.files.base import ContentFile

    model = get_document_model()
    return [
        model.objects.create(
            title=f"file {i}", file=ContentFile(b"ID3" + bytes(40), name=f"f{i}.mp3")
        )
        for i in range(n)
    ]


def _page_queries(client: Any, documents: list[Any], kinds: list[str]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tribune.newsroom.tests import factories as newsroom

    body = [
        ("media", {"document": d, "player": kind, "caption": "<b>cap</b>"})
        for d, kind in zip(documents, kinds, strict=True)
    ]
    page = newsroom.article(body=body)
    client.get(page.url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        html = client.get(page.url).content.decode()
    assert "&lt;b&gt;cap&lt;/b&gt;" in html and "<b>cap</b>" not in html
    for document in documents:
        assert f'src="{document.url}"' in html or f'href="{document.url}"' in html
    return len(queries)


def test_media_blocks_cost_one_query_whatever_their_number(
    home: Any, client: Any
) -> None:
    documents = _documents(6)
    one = _page_queries(client, documents[:1], ["audio"])
    five = _page_queries(
        client, documents[1:], ["audio", "video", "link", "video", "link"]
    )
    assert five == one


FILE_BLOCK = f"""<!-- wp:file {{"id":1,"href":"{UP}/budget.pdf"}} -->
<div class="wp-block-file"><a id="wp-block-file--media-1" href="{UP}/budget.pdf">The
budget</a> as voted<a href="{UP}/budget.pdf" class="wp-block-file__button"
download>Download</a></div><!-- /wp:file -->
<!-- wp:file --><div class="wp-block-file"><a href="{UP}/minutes.docx">Minutes</a>
</div><!-- /wp:file -->
<p><a href="https://other.example.net/documents/4/notes.pdf">notes</a></p>"""


def test_a_file_block_becomes_a_link_to_its_document(
    home: Any, files: tuple[Path, Path]
) -> None:
    export, uploads = files
    export.write_text(_export(FILE_BLOCK), encoding="utf-8")
    report = import_wordpress(path=export, uploads=uploads)
    page = ArticlePage.objects.get(slug="council-papers")
    blocks = [(b.block_type, b.value) for b in page.body]
    assert blocks[0][0] == "media"
    assert (blocks[0][1]["player"], blocks[0][1]["caption"]) == ("link", "as voted")
    assert blocks[0][1]["document"].title == "budget.pdf"
    # A file that was not imported stays a link, and is listed; another site's
    # file is a plain link, not a missing upload.
    assert f'href="{UP}/minutes.docx"' in blocks[1][1].source
    assert 'href="https://other.example.net/documents/4/notes.pdf"' in (
        blocks[2][1].source
    )
    text = report.render()
    assert f"post 10: file missing: {UP}/minutes.docx" in text
    assert "notes.pdf" not in text
