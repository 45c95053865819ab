"""The `tribune` command: help, and when `serve` collects static files."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings

from tribune.cli import _static_files_changed, main


def test_help_lists_the_commands(capsys) -> None:
    main(["--help"])
    out = capsys.readouterr().out
    for command in ("demo", "serve", "worker"):
        assert f"  {command}" in out


def test_serve_collects_when_there_is_no_manifest(tmp_path: Path) -> None:
    assert _static_files_changed(tmp_path / "staticfiles.json")


def test_serve_collects_again_when_a_source_file_is_newer(tmp_path: Path) -> None:
    manifest = tmp_path / "staticfiles.json"
    manifest.write_text("{}")
    future = time.time() + 3600
    os.utime(manifest, (future, future))
    assert not _static_files_changed(manifest)
    source = Path(settings.STATICFILES_DIRS[0]) / "css" / "site.css"
    os.utime(source, (future + 60, future + 60))
    try:
        assert _static_files_changed(manifest)
    finally:
        now = time.time()
        os.utime(source, (now, now))
