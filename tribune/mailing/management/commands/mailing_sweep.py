"""`tribune mailing_sweep`: recover stuck outbox rows and enqueue due retries."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tribune.mailing import delivery


class Command(BaseCommand):
    help = "Recover outbox messages whose worker stopped; enqueue due retries."

    def handle(self, *args: Any, **options: Any) -> None:
        result = delivery.sweep()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"requeued {result.requeued}, resent {result.resent}, "
                f"unknown {result.unknown}, "
                f"failed {result.failed}, enqueued {len(result.enqueued)}"
            )
