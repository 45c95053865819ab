"""The admin's imports with files: the uploads zip, wpDiscuz subscriptions, and
the Disqus form; limits refused at the form with a pointer to the command line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model

from tribune.discussion.models import Comment
from tribune.moving.models import ImportRun, RunState
from tribune.moving.tests.shared_data import shared_data
from tribune.moving.tests.test_documents import _export
from tribune.newsroom.models import ArticlePage
from tribune.subscriptions.models import Subscription

DATA = Path(__file__).resolve().parents[1] / "data"
URL = "/admin/import/wordpress/"
DISQUS_URL = "/admin/import/disqus/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client: Any, settings: Any, tmp_path: Path) -> Path:
    settings.MOVING_IMPORT_DIR = tmp_path / "imports"
    user = get_user_model().objects.create_superuser("chief", "c@example.org", "x")
    client.force_login(user)
    return Path(settings.MOVING_IMPORT_DIR)


def _zip(entries: dict[str, bytes], name: str = "uploads.zip") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in entries.items():
            archive.writestr(path, data)
    return SimpleUploadedFile(name, buffer.getvalue())


def _export_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("export.xml", _export().encode())


def test_an_uploads_zip_brings_documents_and_is_removed(
    home: Any, client: Any, chief: Path
) -> None:
    uploads = _zip(
        {
            "wp-content/uploads/2026/03/budget.pdf": b"%PDF-1.4 budget",
            "wp-content/uploads/2026/03/interview.mp3": b"ID3" + bytes(300),
        }
    )
    response = client.post(URL, {"export": _export_file(), "uploads": uploads})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.state == RunState.DONE, run.report
    titles = sorted(d.title for d in get_document_model().objects.all())
    assert titles == ["budget.pdf", "interview.mp3"]
    assert "document: 2 new" in run.report
    assert (
        "file missing: https://old.example.org/wp-content/uploads/2026/03/flood.mp4"
        in (run.report)
    )
    page = ArticlePage.objects.get(slug="council-papers")
    assert "media" in [b.block_type for b in page.body]
    assert not list(chief.iterdir())  # export, zip and unpacked folder all gone
    shown = client.get(f"{URL}{run.pk}/").content.decode()
    assert "document: 2 new" in shown


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        ({"../evil.pdf": b"x"}, "&#x27;..&#x27;"),
        ({"/etc/evil.pdf": b"x"}, "absolute path"),
        ({"bomb.pdf": b"\0" * 3_000_000}, "a zip bomb?"),
        ({f"{n}.pdf": b"x" for n in range(6)}, "6 files, more than 5"),
    ],
)
def test_an_unsafe_zip_is_refused_at_the_form(
    home: Any,
    client: Any,
    chief: Path,
    settings: Any,
    entries: dict[str, bytes],
    reason: str,
) -> None:
    settings.MOVING_UPLOADS_MAX_FILES = 5
    response = client.post(URL, {"export": _export_file(), "uploads": _zip(entries)})
    assert response.status_code == 200
    text = response.content.decode()
    assert reason in text
    assert "tribune import_wordpress EXPORT.xml --uploads DIR" in text
    assert not ImportRun.objects.exists()
    assert not chief.exists() or not list(chief.iterdir())


def test_a_zip_above_the_limit_or_not_a_zip_is_refused(
    home: Any, client: Any, chief: Path, settings: Any
) -> None:
    settings.MOVING_UPLOADS_MAX_BYTES = 100
    big = _zip({"a.pdf": bytes(range(256)) * 4})
    response = client.post(URL, {"export": _export_file(), "uploads": big})
    assert "This file is larger than 100" in response.content.decode()
    settings.MOVING_UPLOADS_MAX_BYTES = 10_000
    fake = SimpleUploadedFile("uploads.zip", b"not a zip at all")
    response = client.post(URL, {"export": _export_file(), "uploads": fake})
    assert "not a readable zip file" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_subscriptions_come_with_the_export(
    home: Any, client: Any, chief: Path
) -> None:
    export = SimpleUploadedFile(
        "export.xml", (DATA / "riverside-wordpress.xml").read_bytes()
    )
    counts = []
    for name in ("riverside-subscriptions.csv", "riverside-subscriptions.sql"):
        subscriptions = SimpleUploadedFile(name, (DATA / name).read_bytes())
        client.post(URL, {"export": export, "subscriptions": subscriptions})
        export.seek(0)
        counts.append(Subscription.objects.count())
    runs = list(ImportRun.objects.order_by("pk"))
    assert [r.state for r in runs] == [RunState.DONE, RunState.DONE]
    assert "subscription 4: not confirmed" in runs[0].report
    # The dump holds the same rows: nothing new the second time.
    assert counts[0] > 0 and counts[1] == counts[0]
    assert not list(chief.iterdir())


def test_the_disqus_form_imports_with_progress_and_report(
    home: Any, client: Any, chief: Path
) -> None:
    export = shared_data("disqus", "isso-disqus.xml")
    assert client.get(DISQUS_URL).status_code == 200
    response = client.post(
        DISQUS_URL,
        {"export": SimpleUploadedFile(export.name, export.read_bytes())},
    )
    run = ImportRun.objects.get(source="disqus")
    assert response["Location"] == f"{DISQUS_URL}{run.pk}/"
    assert run.state == RunState.DONE, run.report
    assert run.report.strip()
    progress = client.get(f"{DISQUS_URL}{run.pk}/progress/").json()
    assert progress["finished"] and progress["percent"] == 100
    # The WordPress pages do not show a Disqus run.
    assert client.get(f"{URL}{run.pk}/").status_code == 404
    assert not list(chief.iterdir())


def test_a_broken_disqus_file_fails_and_keeps_nothing(
    home: Any, client: Any, chief: Path
) -> None:
    broken = SimpleUploadedFile("disqus.xml", b"<disqus><thread>")
    client.post(DISQUS_URL, {"export": broken})
    run = ImportRun.objects.get()
    assert run.state == RunState.FAILED
    assert "Nothing was imported" in run.report
    assert not Comment.objects.exists()


def test_a_disqus_file_over_the_limit_points_to_the_command_line(
    home: Any, client: Any, chief: Path, settings: Any
) -> None:
    settings.MOVING_UPLOAD_LIMIT = 10
    big = SimpleUploadedFile("disqus.xml", b"<disqus>" + b" " * 100 + b"</disqus>")
    response = client.post(DISQUS_URL, {"export": big})
    assert "tribune import_disqus EXPORT.xml" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_zip_whose_headers_lie_fails_in_the_task_and_leaves_nothing(
    home: Any, client: Any, chief: Path
) -> None:
    raw = bytearray(_zip({"2026/03/budget.pdf": b"%PDF" + b"A" * 5000}).read())
    # The central directory declares 10 bytes: the form's check passes.
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (10).to_bytes(4, "little")
    liar = SimpleUploadedFile("uploads.zip", bytes(raw))
    response = client.post(URL, {"export": _export_file(), "uploads": liar})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.state == RunState.FAILED
    assert "The uploads zip is refused" in run.report
    assert not ArticlePage.objects.exists()
    assert not get_document_model().objects.exists()
    assert not list(chief.iterdir())  # the unpacked folder is gone too
