"""`tribune live_prune`: delete live events older than LIVE_KEEP_SECONDS."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tribune.core import clock
from tribune.live import conf, services
from tribune.live.models import LiveEvent


class Command(BaseCommand):
    help = "Delete live events older than LIVE_KEEP_SECONDS (the replay window)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        before = clock.now() - dt.timedelta(seconds=conf.get("KEEP_SECONDS"))
        if options["dry_run"]:
            count = LiveEvent.objects.filter(created_at__lt=before).count()
            self.stdout.write(f"would delete up to {count} live events")
            return
        count = services.prune_events(before=before)
        self.stdout.write(f"deleted {count} live events")
