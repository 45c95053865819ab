"""`tribune serve`, `worker` and `migrate` stop with one line when var/ is unusable.

The tests run as root, for whom file permissions do not stop a write, so an
unusable folder is made the ways root cannot get around: a file where a folder
is expected, or a path inside /sys, where nobody can create anything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tribune.core import startup
from tribune.core.testing import ROOT, free_port


def _tribune(args: list[str], var_dir: Path) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="tribune.config.settings.dev",
        TRIBUNE_VAR_DIR=str(var_dir),
        TRIBUNE_BIND=f"127.0.0.1:{free_port()}",
        WEB_CONCURRENCY="1",
    )
    return subprocess.run(
        [sys.executable, "-m", "tribune", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _one_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var = tmp_path_factory.mktemp("var")
    done = _tribune(["migrate", "--verbosity", "0"], var)
    assert done.returncode == 0, done.stderr
    return var


@pytest.mark.parametrize("command", ["serve", "migrate"])
def test_a_file_where_the_data_folder_should_be_stops_with_its_path(
    tmp_path: Path, command: str
) -> None:
    var = tmp_path / "var"
    var.write_text("not a folder")
    _one_line(_tribune([command], var), str(var), "not a folder")


def test_a_data_folder_that_cannot_be_created_stops_serve(tmp_path: Path) -> None:
    var = Path("/sys/tribune-test-var")  # sysfs: even root cannot create it
    _one_line(_tribune(["serve"], var), str(var))


def test_a_database_that_cannot_be_opened_stops_migrate_with_its_path(
    tmp_path: Path,
) -> None:
    (tmp_path / "tribune.sqlite3").mkdir()  # a folder where the file should be
    _one_line(_tribune(["migrate"], tmp_path), str(tmp_path / "tribune.sqlite3"))


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_unapplied_migrations_stop_serve_and_worker(
    tmp_path: Path, command: str
) -> None:
    _one_line(_tribune([command], tmp_path), "not applied", "tribune migrate")


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_a_media_folder_that_cannot_be_written_stops_serve_and_worker(
    migrated: Path, command: str
) -> None:
    media = migrated / "media"
    media.write_text("not a folder")
    try:
        _one_line(_tribune([command], migrated), str(media), "media folder")
    finally:
        media.unlink()


def test_a_cache_folder_that_cannot_be_written_stops_serve(migrated: Path) -> None:
    cache = migrated / "cache"
    shutil.rmtree(cache, ignore_errors=True)  # made by migrate
    cache.write_text("not a folder")
    try:
        _one_line(_tribune(["serve"], migrated), str(cache), "cache folder")
    finally:
        cache.unlink()


@pytest.mark.django_db
def test_the_test_database_passes_every_check(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    assert startup.problem() is None
