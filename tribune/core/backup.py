"""Backup and restore: one archive with the database, the media files and a manifest.

The archive is a gzipped tar holding, in this order:

- `tribune-backup.json`: the manifest (format, Tribune version, date, database
  vendor, applied migrations);
- `database.sqlite3` (SQLite, copied with the online backup API so a live WAL
  database gives a consistent copy) or `database.pgdump` (`pg_dump -Fc`);
- `media/...`: the uploaded files.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from tribune.core import generations, pagecache, sites

MANIFEST = "tribune-backup.json"
FORMAT = "tribune-backup"
FORMAT_VERSION = 1
_DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line."""


@dataclass(frozen=True)
class Manifest:
    tribune_version: str
    created: str
    vendor: str
    migrations: list[tuple[str, str]]
    media_files: int

    def as_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "tribune_version": self.tribune_version,
                "created": self.created,
                "database": {"vendor": self.vendor, "file": _DUMPS[self.vendor]},
                "migrations": [list(pair) for pair in self.migrations],
                "media_files": self.media_files,
            },
            indent=2,
        )


def _version() -> str:
    try:
        return metadata.version("tribune")
    except metadata.PackageNotFoundError:
        return "unknown"


def _vendor() -> str:
    if connection.vendor not in _DUMPS:
        raise BackupError(
            f"backups support SQLite and PostgreSQL, not {connection.vendor}"
        )
    return connection.vendor


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files() -> list[Path]:
    root = _media_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# PostgreSQL ---------------------------------------------------------------------


def _pg_environ() -> dict[str, str]:
    """libpq's variables for the default database (no password on a command line)."""
    conf = connection.settings_dict
    environ = dict(os.environ)
    for name, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if conf.get(key):
            environ[name] = str(conf[key])
    return environ


def _pg_tool(name: str) -> str:
    """The pg_dump/pg_restore of the server's major version, when installed.

    pg_dump refuses a server newer than itself; Debian installs each version's
    tools under /usr/lib/postgresql/N/bin.
    """
    connection.ensure_connection()
    major = int(connection.pg_version) // 10000  # type: ignore[attr-defined]
    candidate = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (package postgresql-client)")
    return found


def _run(argv: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 - fixed PostgreSQL tools, our own arguments
        argv, env=_pg_environ(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{Path(argv[0]).name} failed: {last}")


# SQLite -------------------------------------------------------------------------


def _sqlite_source() -> sqlite3.Connection:
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection
    return source


@contextmanager
def _sqlite_write_lock() -> Iterator[None]:
    """Hold the lock file other Tribune processes queue their writes on."""
    import fcntl

    name = str(connection.settings_dict["NAME"])
    if name in ("", ":memory:") or name.startswith("file:") or "mode=memory" in name:
        yield
        return
    with open(name + ".writelock", "ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# Backup -------------------------------------------------------------------------


def create_backup(*, path: Path) -> Manifest:
    """Write the database and the media files to one archive at `path`.

    The archive is written beside `path` and renamed into place when complete, so
    a failed backup never leaves a truncated file under the final name. Reads the
    database only; takes no lock.
    """
    vendor = _vendor()
    recorder = MigrationRecorder(connection)
    migrations = sorted(recorder.applied_migrations())
    media = _media_files()
    manifest = Manifest(
        tribune_version=_version(),
        created=datetime.now(tz=UTC).isoformat(timespec="seconds"),
        vendor=vendor,
        migrations=[(app, name) for app, name in migrations],
        media_files=len(media),
    )
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        dump = Path(work) / _DUMPS[vendor]
        if vendor == "sqlite":
            target = sqlite3.connect(dump)
            try:
                _sqlite_source().backup(target)
            finally:
                target.close()
        else:
            _run([_pg_tool("pg_dump"), "--format=custom", "--file", str(dump)])
        manifest_file = Path(work) / MANIFEST
        manifest_file.write_text(manifest.as_json())
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest_file, arcname=MANIFEST)
            archive.add(dump, arcname=dump.name)
            root = _media_root()
            for file in media:
                archive.add(file, arcname="media/" + file.relative_to(root).as_posix())
    partial.replace(path)
    return manifest


# Restore ------------------------------------------------------------------------


def read_manifest(*, path: Path) -> Manifest:
    """The manifest of the archive at `path`; BackupError if it is not a backup."""
    not_a_backup = f"{path} is not a Tribune backup"
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.next()
            if member is None or member.name != MANIFEST or not member.isfile():
                raise BackupError(not_a_backup)
            stream = archive.extractfile(member)
            data: dict[str, Any] = json.loads(stream.read()) if stream else {}
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist") from None
    except (tarfile.TarError, OSError, EOFError, ValueError):
        raise BackupError(not_a_backup) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(not_a_backup)
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a Tribune backup of format {data.get('format_version')}, "
            f"this Tribune reads format {FORMAT_VERSION}"
        )
    try:
        return Manifest(
            tribune_version=str(data["tribune_version"]),
            created=str(data["created"]),
            vendor=str(data["database"]["vendor"]),
            migrations=[(str(a), str(n)) for a, n in data["migrations"]],
            media_files=int(data["media_files"]),
        )
    except (KeyError, TypeError, ValueError):
        raise BackupError(f"{path} has a damaged manifest") from None


def check_restorable(*, manifest: Manifest) -> None:
    """Refuse a backup of another database kind or from a newer Tribune."""
    vendor = _vendor()
    if manifest.vendor != vendor:
        raise BackupError(
            f"the backup holds a {manifest.vendor} database, this site uses {vendor}"
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{a}.{n}" for a, n in manifest.migrations if (a, n) not in known]
    if unknown:
        raise BackupError(
            f"the backup has migrations this Tribune does not know ({unknown[0]}, ...):"
            f" install Tribune {manifest.tribune_version} or later first"
        )


def _safe_members(archive: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    for member in archive:
        if member.name == MANIFEST:
            continue
        yield member


def _replace_media(source: Path) -> None:
    """Swap the media folder for `source`, then drop the old one."""
    root = _media_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    old = root.with_name(root.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    if root.exists():
        root.rename(old)
    if source.exists():
        shutil.move(str(source), root)
    else:
        root.mkdir()
    if old.exists():
        shutil.rmtree(old)


def flush_caches() -> None:
    """Retire every cached page and every process's copy of sites and settings.

    Other cached figures (the goal bar) expire on their own within a minute.
    """
    pagecache.invalidate_all()
    generations.advance(sites.GENERATION)


def restore_backup(*, path: Path) -> Manifest:
    """Replace the database and the media files with the archive's.

    Precondition: `check_restorable` accepted the manifest. On SQLite the copy goes
    in through the online backup API while holding the write lock, so other
    processes may stay up; on PostgreSQL `pg_restore --clean --if-exists` runs in
    one transaction. Side effects: the media folder is replaced, caches flushed.
    """
    manifest = read_manifest(path=path)
    check_restorable(manifest=manifest)
    root = _media_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root.parent) as work:
        with tarfile.open(path, "r:gz") as archive:
            # The "data" filter refuses absolute paths, links out of the folder
            # and device files.
            archive.extractall(work, members=_safe_members(archive), filter="data")
        dump = Path(work) / _DUMPS[manifest.vendor]
        if not dump.is_file():
            raise BackupError(f"{path} has no {dump.name}")
        if manifest.vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            connections.close_all()
            _run(
                [
                    _pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    str(connection.settings_dict["NAME"]),
                    str(dump),
                ]
            )
        _replace_media(Path(work) / "media")
    flush_caches()
    return manifest


def _restore_sqlite(dump: Path) -> None:
    source = sqlite3.connect(dump)
    try:
        try:
            # Reads the header and schema; Django's SQL functions (used by some
            # CHECK constraints) are absent here, so no integrity_check.
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            raise BackupError(
                f"the database in the backup is damaged ({dump.name})"
            ) from None
        target = _sqlite_source()
        with _sqlite_write_lock():
            source.backup(target)
    finally:
        source.close()


def pending_migrations() -> list[str]:
    """Migrations the code has and the (restored) database has not applied."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = set(loader.applied_migrations)
    return sorted(
        f"{a}.{n}" for a, n in loader.disk_migrations if (a, n) not in applied
    )
