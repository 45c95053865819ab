"""The shared shape of the export commands: -o FILE (whole or not at all) or stdout."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class ExportCommand(BaseCommand):
    """Subclasses name their `label` and `export` (a writer of one stream)."""

    label = ""

    def export(self, out: TextIO, *, base_url: str) -> Mapping[str, int]:
        raise NotImplementedError

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
            counts = self.export(self.stdout, base_url=base_url)  # type: ignore[arg-type]
        else:
            # Written beside the target, then renamed: a failure leaves no half file.
            partial = target.with_name(target.name + ".partial")
            try:
                with partial.open("w", encoding="utf-8") as out:
                    counts = self.export(out, base_url=base_url)
                partial.replace(target)
            except OSError as error:
                partial.unlink(missing_ok=True)
                raise CommandError(f"Cannot write {target}: {error.strerror}") from None
        summary = ", ".join(f"{kind}: {n}" for kind, n in counts.items())
        self.stderr.write(f"{self.label} {summary}")
