"""`tribune mailing_deliver_due`: send the outbox messages that are due."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.mailing import delivery


class Command(BaseCommand):
    help = (
        "Deliver queued messages that are due (retries included), whether or not "
        "a queue task exists for them. The worker's clock runs this every few seconds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit",
            type=int,
            default=100,
            help="Stop after this many messages (default 100).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        outcomes = Counter(delivery.deliver_due(limit=options["limit"]))
        if options["verbosity"] > 0:
            summary = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
            self.stdout.write(summary or "nothing due")
