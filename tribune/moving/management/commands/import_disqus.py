"""`tribune import_disqus EXPORT.xml`: Disqus threads and posts as comments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.moving.disqus.importer import import_disqus
from tribune.moving.disqus.reader import DisqusReadError


class Command(BaseCommand):
    help = (
        "Import a Disqus export: threads are matched to reports by address (old "
        "WordPress addresses included), then by title; running it again changes "
        "nothing, a newer export updates what changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The Disqus XML export.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do everything, report it, and save nothing.",
        )
        parser.add_argument(
            "--report",
            type=Path,
            default=None,
            help="Where to write the report (default: EXPORT.report.txt in the "
            "current folder).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        self._show_progress = options["verbosity"] >= 1
        if not path.is_file():
            raise CommandError(f"Cannot read {path}: no such file.")
        try:
            with path.open("rb") as handle:
                report = import_disqus(
                    handle, dry_run=options["dry_run"], progress=self._progress
                )
        except DisqusReadError as error:
            raise CommandError(f"{path}: {error}. Nothing was imported.") from None
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        self.stderr.write("")
        lines = report.lines()
        for line in lines:
            self.stdout.write(line)
        target = options["report"] or Path(f"{path.name}.report.txt")
        try:
            target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(
                f"The import ran, but the report could not be written to {target}: "
                f"{error.strerror}"
            ) from None
        self.stdout.write(f"Report written to {target}")

    def _progress(self, done: int, total: int) -> None:
        if not self._show_progress:
            return
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total} threads", ending="")
        self.stderr.flush()
