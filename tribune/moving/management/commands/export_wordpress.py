"""`tribune export_wordpress [-o FILE]`: the site as a WordPress (WXR 1.2) file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.moving.exports.wxr import export_wordpress


class Command(BaseCommand):
    help = (
        "Write every report, page, author, series, topic and comment as a WordPress "
        "eXtended RSS 1.2 file. It holds commenters' emails and IP addresses: "
        "personal data, keep it safe."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            default=None,
            help="File to write (default: stdout).",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="The site address links in the file start with "
            "(default: WAGTAILADMIN_BASE_URL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base_url = (
            options["base_url"] or settings.WAGTAILADMIN_BASE_URL or "http://localhost/"
        )
        target: Path | None = options["output"]
        if target is None:
            counts = export_wordpress(self.stdout, base_url=base_url)  # type: ignore[arg-type]
        else:
            partial = target.with_name(target.name + ".partial")
            try:
                with partial.open("w", encoding="utf-8") as out:
                    counts = export_wordpress(out, base_url=base_url)
                partial.replace(target)
            except OSError as error:
                partial.unlink(missing_ok=True)
                raise CommandError(f"Cannot write {target}: {error.strerror}") from None
        summary = ", ".join(f"{kind}: {n}" for kind, n in counts.items())
        self.stderr.write(f"WXR {summary}")
