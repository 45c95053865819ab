"""`tribune export_wordpress [-o FILE] [--uploads DIR]`: the site as a WordPress
(WXR 1.2) file, and the files its content uses laid out like wp-content/uploads."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError, CommandParser

from tribune.moving.exports.wxr import export_wordpress
from tribune.moving.management.export_command import ExportCommand


class Command(ExportCommand):
    help = (
        "Write every report, page, author, series, topic and comment as a WordPress "
        "eXtended RSS 1.2 file, with an attachment for every image and document "
        "the content uses. It holds commenters' emails and IP addresses: "
        "personal data, keep it safe."
    )
    label = "WXR"
    uploads: Path | None = None

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--uploads",
            type=Path,
            default=None,
            help="Folder to copy the attachments' files into, laid out like "
            "wp-content/uploads (year/month/name); import_wordpress --uploads "
            "takes it back.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.uploads = options["uploads"]
        if self.uploads is not None:
            try:
                self.uploads.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise CommandError(
                    f"Cannot use {self.uploads}: {error.strerror}"
                ) from None
        try:
            super().handle(*args, **options)
        except OSError as error:  # copying to stdout's export (-o cleans up itself)
            raise CommandError(f"Cannot copy into {self.uploads}: {error}") from None

    def export(self, out: TextIO, *, base_url: str) -> Mapping[str, int]:
        return export_wordpress(out, base_url=base_url, uploads=self.uploads)
