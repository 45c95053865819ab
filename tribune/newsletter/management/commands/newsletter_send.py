"""`tribune newsletter_send`: start due digests and hand the next batch of
newsletter mail to the outbox. The worker's clock runs it every few seconds."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tribune.newsletter import sending, services


class Command(BaseCommand):
    help = (
        "Start the digests whose period has closed, then hand the next batch of "
        "newsletter mail to the outbox at NEWSLETTER_RATE_PER_MINUTE."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        digests = services.open_digests()
        result = sending.pace()
        if options["verbosity"] > 1 or (
            options["verbosity"] > 0 and (digests or result.queued or result.finished)
        ):
            self.stdout.write(
                f"digests {len(digests)}, prepared {len(result.prepared)}, "
                f"queued {result.queued}, skipped {result.skipped}, "
                f"finished {len(result.finished)}"
            )
