"""`tribune import_wordpress EXPORT.xml [--uploads DIR] [--dry-run]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.moving.wordpress.importer import import_wordpress


class Command(BaseCommand):
    help = "Import a WordPress (+ wpDiscuz) export: posts, pages, comments, images."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export", type=Path, help="The WXR file WordPress wrote.")
        parser.add_argument(
            "--uploads", type=Path, help="A copy of the site's wp-content/uploads."
        )
        parser.add_argument(
            "--subscriptions",
            type=Path,
            help="A CSV export of wpDiscuz's wc_comments_subscription table.",
        )
        parser.add_argument(
            "--report",
            type=Path,
            help="Where to write the report (default: beside the export).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything, then keep nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        export: Path = options["export"]
        if not export.is_file():
            raise CommandError(f"No such file: {export}")
        uploads: Path | None = options["uploads"]
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"No such folder: {uploads}")
        verbose = options["verbosity"] > 0
        shown = [-1]

        def progress(done: int, total: int) -> None:
            percent = done * 100 // max(total, 1)
            if verbose and percent != shown[0]:
                shown[0] = percent
                self.stderr.write(f"\r{percent:3d}% ({done}/{total})", ending="")
                self.stderr.flush()

        report = import_wordpress(
            path=export,
            uploads=uploads,
            subscriptions=options["subscriptions"],
            dry_run=options["dry_run"],
            progress=progress,
        )
        if verbose:
            self.stderr.write("")
        target = options["report"] or export.with_name(export.name + ".report.txt")
        text = report.render()
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as error:
            self.stderr.write(f"Report not written to {target}: {error}")
        self.stdout.write(text)
        self.stdout.write(f"Report written to {target}")
        if not report.ok:
            raise CommandError(report.error)
