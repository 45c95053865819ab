"""Safe extraction of an uploaded zip of wp-content/uploads: no absolute paths,
no `..`, no links, bounded in size, in files and in compression ratio.

Pure file work (zipfile, no Django): the limits are passed in.  Every entry is
checked before a byte is written, and the bytes are counted again while they
are written, since a zip's headers may lie about sizes.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

_CHUNK = 1024 * 1024
# Entries this small may compress as well as they like (a file of spaces):
# a bomb needs size to do harm.
_RATIO_FLOOR = 1024 * 1024


class UnsafeArchiveError(Exception):
    """The zip is refused; the message says why (shown to the editor)."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int  # all files together, uncompressed
    max_files: int
    max_ratio: int  # uncompressed / compressed, per file


def _safe_name(info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchiveError(f"absolute path in the zip: {info.filename!r}")
    if ".." in path.parts:
        raise UnsafeArchiveError(f"'..' in a path of the zip: {info.filename!r}")
    if "\x00" in name:
        raise UnsafeArchiveError(f"NUL in a path of the zip: {info.filename!r}")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UnsafeArchiveError(f"symbolic link in the zip: {info.filename!r}")
    return path


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> list[zipfile.ZipInfo]:
    """The zip's files (not folders) once every entry passes; raises
    UnsafeArchiveError at the first that does not."""
    files = [info for info in archive.infolist() if not info.is_dir()]
    if len(files) > limits.max_files:
        raise UnsafeArchiveError(
            f"the zip holds {len(files)} files, more than {limits.max_files}"
        )
    total = 0
    for info in archive.infolist():
        _safe_name(info)
        if info.is_dir():
            continue
        total += info.file_size
        if total > limits.max_bytes:
            raise UnsafeArchiveError(
                f"the zip unpacks to more than {limits.max_bytes} bytes"
            )
        compressed = max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and info.file_size / compressed > (
            limits.max_ratio
        ):
            raise UnsafeArchiveError(
                f"{info.filename!r} is compressed {info.file_size // compressed} "
                f"to 1, more than {limits.max_ratio} (a zip bomb?)"
            )
    return files


def _copy(source: IO[bytes], target: IO[bytes], allowed: int) -> int:
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > allowed:
            raise UnsafeArchiveError("the zip holds more bytes than its headers say")
        target.write(chunk)
    return written


def extract(zip_path: Path, into: Path, limits: Limits) -> Path:
    """Unpack a checked zip into the empty folder `into`; returns the uploads
    folder inside it (`wp-content/uploads/` or `uploads/` when the zip has one)."""
    root = into.resolve()
    try:
        with zipfile.ZipFile(zip_path) as archive:
            files = check_archive(archive, limits)
            budget = limits.max_bytes
            for info in files:
                target = (root / _safe_name(info)).resolve()
                if not target.is_relative_to(root):
                    raise UnsafeArchiveError(
                        f"path outside the folder: {info.filename!r}"
                    )
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, target.open("xb") as out:
                    budget -= _copy(source, out, min(info.file_size, budget))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise UnsafeArchiveError(f"not a readable zip file ({error})") from None
    except FileExistsError as error:
        raise UnsafeArchiveError(f"a path twice in the zip: {error.filename}") from None
    return uploads_root(root)


def uploads_root(folder: Path) -> Path:
    """The folder holding the year folders: a zip made of wp-content/, of
    uploads/ or of what is inside uploads/ all work."""
    for inner in (folder / "wp-content" / "uploads", folder / "uploads"):
        if inner.is_dir():
            return inner
    return folder


def check_upload(handle: BinaryIO, limits: Limits) -> None:
    """Check an uploaded zip without unpacking it (for the form)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            check_archive(archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise UnsafeArchiveError(f"not a readable zip file ({error})") from None
