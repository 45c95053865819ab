"""`tribune backup` and `tribune restore` on the real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tribune.core import generations, pagecache, sites
from tribune.core.backup import MANIFEST, read_manifest

pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "images").mkdir(parents=True)
    return tmp_path / "media"


def _archive(path: Path, manifest: dict | None, extra: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        files = ({MANIFEST: json.dumps(manifest).encode()} if manifest else {}) | extra
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_restore_brings_back_the_state_of_the_backup(
    media: Path, tmp_path: Path
) -> None:
    User.objects.create_user("before", password="x")
    (media / "images" / "photo.jpg").write_bytes(b"old photo")
    archive = tmp_path / "site.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "Wrote" in out.getvalue()

    manifest = read_manifest(path=archive)
    assert manifest.vendor == connection.vendor
    assert ("auth", "0001_initial") in manifest.migrations
    assert manifest.media_files == 1

    User.objects.filter(username="before").delete()
    User.objects.create_user("after", password="x")
    (media / "images" / "photo.jpg").write_bytes(b"new photo")
    (media / "images" / "later.jpg").write_bytes(b"added later")
    page_generation = generations.current("pagecache:generation")
    sites_generation = generations.current(sites.GENERATION)

    call_command("restore", str(archive), "--yes", stdout=io.StringIO())

    assert list(User.objects.values_list("username", flat=True)) == ["before"]
    assert (media / "images" / "photo.jpg").read_bytes() == b"old photo"
    assert not (media / "images" / "later.jpg").exists()
    assert generations.current("pagecache:generation") > page_generation
    assert generations.current(sites.GENERATION) > sites_generation
    assert pagecache  # the page cache's generation key is the one read above


def test_restore_asks_before_replacing_anything(
    media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    User.objects.create_user("after", password="x")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert User.objects.filter(username="after").exists()


def test_dry_run_changes_nothing(media: Path, tmp_path: Path) -> None:
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    User.objects.create_user("after", password="x")
    out = io.StringIO()
    call_command("restore", str(archive), "--dry-run", stdout=out)
    assert "media files" in out.getvalue()
    assert User.objects.filter(username="after").exists()


def test_backup_does_not_overwrite_a_file_unless_told(
    media: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "site.tar.gz"
    archive.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="--force"):
        call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == b"keep me"
    call_command("backup", str(archive), "--force", stdout=io.StringIO())
    assert read_manifest(path=archive).vendor == connection.vendor


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text\n", "is not a Tribune backup"),
        (None, "is not a Tribune backup"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_backup(
    media: Path, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "other.tar.gz"
    if content is None:
        _archive(path, None, {"notes.txt": b"a tar, but not ours"})
    else:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as caught:
        call_command("restore", str(path), "--yes", stdout=io.StringIO())
    assert "\n" not in str(caught.value)


def _manifest(**changes: object) -> dict:
    manifest = {
        "format": "tribune-backup",
        "format_version": 1,
        "tribune_version": "9.9.9",
        "created": "2026-12-01T00:00:00+00:00",
        "database": {"vendor": connection.vendor, "file": "database.sqlite3"},
        "migrations": [["auth", "0001_initial"]],
        "media_files": 0,
    }
    manifest.update(changes)
    return manifest


def test_restore_refuses_a_backup_of_another_database_kind(
    media: Path, tmp_path: Path
) -> None:
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    path = _archive(
        tmp_path / "b.tar.gz", _manifest(database={"vendor": other, "file": "x"}), {}
    )
    with pytest.raises(CommandError, match=f"holds a {other} database"):
        call_command("restore", str(path), "--yes", stdout=io.StringIO())


def test_restore_refuses_a_backup_from_a_newer_tribune(
    media: Path, tmp_path: Path
) -> None:
    manifest = _manifest(migrations=[["auth", "0001_initial"], ["auth", "9999_future"]])
    path = _archive(tmp_path / "b.tar.gz", manifest, {})
    with pytest.raises(CommandError, match=r"auth\.9999_future"):
        call_command("restore", str(path), "--yes", stdout=io.StringIO())


def test_restore_extracts_no_file_outside_its_folder(
    media: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive, "r:gz") as source:
        files = {m.name: source.extractfile(m).read() for m in source if m.isfile()}
    files["../escaped.txt"] = b"outside"
    manifest = json.loads(files.pop(MANIFEST))
    evil = _archive(tmp_path / "evil.tar.gz", manifest, files)
    with pytest.raises(Exception, match="outside"):
        call_command("restore", str(evil), "--yes", stdout=io.StringIO())
    assert not (tmp_path / "escaped.txt").exists()
    assert not (media.parent / "escaped.txt").exists()
