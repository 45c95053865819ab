"""`tribune backup PATH`: the database and the media files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tribune.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write the database and the media files to one archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the archive to write (.tar.gz)")
        parser.add_argument(
            "--force", action="store_true", help="replace an existing file"
        )

    def handle(self, *args: Any, path: Path, force: bool, **options: Any) -> None:
        if path.exists() and not force:
            raise CommandError(
                _("%(path)s exists; pass --force to replace it") % {"path": path}
            )
        try:
            manifest = create_backup(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _(
                "Wrote %(path)s: %(vendor)s database, %(migrations)d migrations, "
                "%(media)d media files."
            )
            % {
                "path": path,
                "vendor": manifest.vendor,
                "migrations": len(manifest.migrations),
                "media": manifest.media_files,
            }
        )
