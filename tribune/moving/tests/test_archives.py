"""The uploads zip: what it holds is unpacked into its folder, and every attack is
refused before anything lands outside it."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from tribune.moving.archives import (
    Limits,
    UnsafeArchiveError,
    check_upload,
    extract,
)

LIMITS = Limits(max_bytes=10 * 1024 * 1024, max_files=10, max_ratio=100)


def _zip(path: Path, entries: dict[str, bytes], *, link: str = "") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return path


def _everything_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_a_wordpress_uploads_zip_unpacks_and_finds_its_year_folders(
    tmp_path: Path,
) -> None:
    archive = _zip(
        tmp_path / "u.zip",
        {
            "wp-content/uploads/2026/03/budget.pdf": b"%PDF-1.4",
            "wp-content/uploads/2026/03/photo.jpg": b"\xff\xd8" + bytes(range(256)),
        },
    )
    into = tmp_path / "into"
    into.mkdir()
    root = extract(archive, into, LIMITS)
    assert root == (into / "wp-content" / "uploads").resolve()
    assert (root / "2026" / "03" / "budget.pdf").read_bytes() == b"%PDF-1.4"


def test_a_zip_of_the_year_folders_is_its_own_root(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "u.zip", {"2026/03/a.pdf": b"%PDF"})
    into = tmp_path / "into"
    into.mkdir()
    assert extract(archive, into, LIMITS) == into.resolve()


@pytest.mark.parametrize(
    ("entries", "link", "reason"),
    [
        ({"/srv/evil.pdf": b"x"}, "", "absolute path"),
        ({"C:/evil.pdf": b"x"}, "", "absolute path"),
        ({"2026/../../evil.pdf": b"x"}, "", "'..'"),
        ({"..\\evil.pdf": b"x"}, "", "'..'"),
        ({"a.pdf": b"x"}, "2026/link.pdf", "symbolic link"),
        ({f"{n}.pdf": b"x" for n in range(11)}, "", "11 files, more than 10"),
        ({"big.mp4": bytes(range(256)) * 41_000}, "", "more than 10485760 bytes"),
        ({"bomb.pdf": b"\0" * 5_000_000}, "", "a zip bomb?"),
    ],
)
def test_every_attack_is_refused_and_nothing_is_written(
    tmp_path: Path, entries: dict[str, bytes], link: str, reason: str
) -> None:
    archive = _zip(tmp_path / "attack.zip", entries, link=link)
    into = tmp_path / "into"
    into.mkdir()
    before = _everything_under(tmp_path)
    with pytest.raises(UnsafeArchiveError, match=reason.replace("?", r"\?")):
        extract(archive, into, LIMITS)
    assert _everything_under(tmp_path) == before
    assert not Path("/srv/evil.pdf").exists()
    with pytest.raises(UnsafeArchiveError, match=reason.replace("?", r"\?")):
        check_upload(io.BytesIO(archive.read_bytes()), LIMITS)


def test_a_zip_that_lies_about_its_sizes_stops_at_what_it_declared(
    tmp_path: Path,
) -> None:
    archive = _zip(tmp_path / "liar.zip", {"a.pdf": b"A" * 1000})
    raw = bytearray(archive.read_bytes())
    # Declare 10 bytes in the central directory (uncompressed size at +24).
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(raw))
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(UnsafeArchiveError):
        extract(archive, into, LIMITS)
    # Never more than declared reaches the disk (the runner then removes the folder).
    assert (into / "a.pdf").stat().st_size <= 10


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"<?php echo 1;")
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(UnsafeArchiveError, match="not a readable zip"):
        extract(fake, into, LIMITS)
    assert not list(into.iterdir())
