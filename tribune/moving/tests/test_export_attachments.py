"""The attachments' paths below an exported uploads folder: sanitised, unique,
and never outside the folder."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from tribune.moving.exports.attachments import UsedFiles, safe_file_name
from tribune.newsroom.models import ArticlePage


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("documents/budget-2026.pdf", "budget-2026.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("..", "file"),
        ("", "file"),
        (".htaccess", "htaccess"),
        ("Résumé final (2).pdf", "Resume-final-2-.pdf"),
        ("\u202egnp.exe", "gnp.exe"),  # a right-to-left override hides the suffix
        ("report\ue000\u200b.pdf", "report.pdf"),  # private-use, zero-width
        ("a..b...pdf", "a.b.pdf"),
        ("x" * 300 + ".pdf", "x" * 100 + ".pdf"),
        ("y" * 300, "y" * 120),
    ],
)
def test_file_names_are_sanitised_as_wordpress_does(name, safe):
    assert safe_file_name(name) == safe


def _stored(pk: int, name: str, when: dt.datetime) -> SimpleNamespace:
    return SimpleNamespace(
        pk=pk,
        title=name,
        created_at=when,
        url=f"/documents/{pk}/x",
        file=SimpleNamespace(name=name, storage=None),
    )


def test_two_files_of_one_name_in_a_month_get_distinct_paths():
    files = UsedFiles("https://news.example.org/")
    march = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    first = files.document(_stored(1, "documents/Budget.pdf", march), parent=7)
    second = files.document(_stored(2, "other/budget.pdf", march), parent=7)
    again = files.document(_stored(1, "documents/Budget.pdf", march), parent=9)
    april = files.document(
        _stored(3, "budget.pdf", dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC)), parent=7
    )
    assert [first.relative, second.relative, april.relative] == [
        "2026/03/Budget.pdf",
        "2026/03/budget-1.pdf",
        "2026/04/budget.pdf",
    ]
    assert again is first and again.parent == 7
    assert first.url == "https://news.example.org/documents/1/x"
    assert len({first.wp_id, second.wp_id, april.wp_id}) == 3


@pytest.mark.django_db
def test_an_uploads_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(CommandError, match="Cannot use"):
        call_command(
            "export_wordpress", output=tmp_path / "site.xml", uploads=blocker / "up"
        )
    assert not (tmp_path / "site.xml").exists()


def _export_queries(tmp_path: Path, players: int) -> int:
    from django.core.files.base import ContentFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.documents import get_document_model
    from wagtail.rich_text import RichText

    from tribune.moving.exports.wxr import export_wordpress
    from tribune.newsroom.tests import factories as newsroom

    documents = [
        get_document_model().objects.create(
            title=f"clip {n}", file=ContentFile(b"ID3" + bytes(32), name=f"c{n}.mp3")
        )
        for n in range(players)
    ]
    links = "".join(f'<a linktype="document" id="{d.pk}">{d.pk}</a>' for d in documents)
    body = [("paragraph", RichText(f"<p>{links}</p>"))] + [
        ("media", {"document": d, "player": "audio", "caption": ""}) for d in documents
    ]
    newsroom.article(title=f"{players} clips", body=body)
    tmp_path.mkdir()
    with (tmp_path / "warm.xml").open("w") as out:
        export_wordpress(out, base_url="https://news.example.org/")
    with (
        CaptureQueriesContext(connection) as queries,
        (tmp_path / "site.xml").open("w") as out,
    ):
        counts = export_wordpress(
            out, base_url="https://news.example.org/", uploads=tmp_path / "up"
        )
    assert counts["attachments"] == players
    return len(queries)


@pytest.mark.django_db
def test_a_report_with_five_files_costs_the_export_the_queries_of_one(
    tmp_path: Path, home
):
    one = _export_queries(tmp_path / "one", 1)
    for article in ArticlePage.objects.all():
        article.delete()
    five = _export_queries(tmp_path / "five", 5)
    assert five == one


def test_a_link_in_the_uploads_folder_pointing_out_is_refused(tmp_path: Path, home):
    from tribune.moving.tests import world

    made = world.build()
    world.media_report(made.flood.get_parent())
    outside, uploads = tmp_path / "outside", tmp_path / "uploads"
    outside.mkdir()
    uploads.mkdir()
    from django.utils.timezone import localtime
    from wagtail.documents import get_document_model

    year = f"{localtime(get_document_model().objects.earliest('pk').created_at):%Y}"
    (uploads / year).symlink_to(outside, target_is_directory=True)
    with pytest.raises(CommandError, match="outside the uploads folder"):
        call_command("export_wordpress", output=tmp_path / "x.xml", uploads=uploads)
    with pytest.raises(CommandError, match="outside the uploads folder"):
        call_command("export_wordpress", uploads=uploads, stdout=io.StringIO())
    assert not list(outside.rglob("*"))
    assert not (tmp_path / "x.xml").exists()


@pytest.mark.django_db
def test_a_picture_inside_rich_text_comes_back_as_a_figure(tmp_path: Path, home):
    from wagtail.rich_text import RichText

    from tribune.moving.tests import world
    from tribune.moving.tests.test_round_trip import empty_the_site, stored_file
    from tribune.newsroom.tests import factories as newsroom

    made = world.build()
    report = world.media_report(made.flood.get_parent())
    picture = report.image
    embedded = (
        f'<p>Before.</p><embed embedtype="image" id="{picture.pk}" '
        'format="fullwidth" alt="A gauge &lt;b&gt;"/><p>After.</p>'
    )
    newsroom.article(
        in_series=made.flood.get_parent(),
        title="Inline picture",
        body=[("paragraph", RichText(embedded))],
    )
    expected = stored_file(picture)
    uploads = tmp_path / "uploads"
    call_command("export_wordpress", output=tmp_path / "s.xml", uploads=uploads)
    text = (tmp_path / "s.xml").read_text()
    assert "/media/original_images/" in text and "wp-image-2" in text
    empty_the_site()
    call_command(
        "import_wordpress",
        str(tmp_path / "s.xml"),
        uploads=uploads,
        report=tmp_path / "r.txt",
    )
    page = ArticlePage.objects.get(title="Inline picture")
    kinds = [b.block_type for b in page.body]
    assert kinds == ["paragraph", "figure", "paragraph"]
    assert stored_file(page.body[1].value["image"]) == expected
    assert "image missing" not in (tmp_path / "r.txt").read_text()
