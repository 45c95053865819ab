"""`tribune mailing_prune`: delete old finished rows from the sent-mail log."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.mailing import services


class Command(BaseCommand):
    help = (
        "Delete sent, failed and suppressed messages older than --days from the "
        "outbox. Queued, sending and unknown messages are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=180,
            help="Keep this many days of the log (default 180).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count, but delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 1:
            raise CommandError("--days must be at least 1")
        count = services.prune_outbox(days=options["days"], dry_run=options["dry_run"])
        verb = "would delete" if options["dry_run"] else "deleted"
        self.stdout.write(f"{verb} {count} messages older than {options['days']} days")
