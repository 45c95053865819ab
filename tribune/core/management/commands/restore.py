"""`tribune restore PATH`: bring back a `tribune backup` archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tribune.core.backup import (
    BackupError,
    check_restorable,
    pending_migrations,
    read_manifest,
    restore_backup,
)


class Command(BaseCommand):
    help = (
        "Replace the database and the media files with a backup's, then flush caches."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="an archive from `tribune backup`")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask for confirmation"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the archive and say what it holds; change nothing",
        )

    def handle(
        self, *args: Any, path: Path, yes: bool, dry_run: bool, **options: Any
    ) -> None:
        try:
            manifest = read_manifest(path=path)
            check_restorable(manifest=manifest)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _(
                "%(path)s: Tribune %(version)s, made %(created)s, %(vendor)s database, "
                "%(media)d media files."
            )
            % {
                "path": path,
                "version": manifest.tribune_version,
                "created": manifest.created,
                "vendor": manifest.vendor,
                "media": manifest.media_files,
            }
        )
        if dry_run:
            return
        if not yes:
            answer = input(
                _("This replaces the whole database and the media files. Type 'yes': ")
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("Restore cancelled; nothing changed."))
        try:
            restore_backup(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Restored; caches flushed."))
        pending = pending_migrations()
        if pending:
            self.stdout.write(
                _("The backup predates %(count)d migrations: run `tribune migrate`.")
                % {"count": len(pending)}
            )
