"""Purge erasures past their undo days and commenters' IP addresses past retention."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tribune.core import clock
from tribune.selfservice import services


class Command(BaseCommand):
    help = (
        "Delete for good what erasures older than their undo days still hold, and "
        "remove commenters' IP addresses older than the privacy setting."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count, change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = clock.now()
        dry_run = bool(options["dry_run"])
        erasures = services.purge_erasures(now=now, dry_run=dry_run)
        addresses = services.forget_old_addresses(now=now, dry_run=dry_run)
        verb = "would purge" if dry_run else "purged"
        self.stdout.write(
            f"{verb} {erasures} erasure(s) and {addresses} comment IP address(es)"
        )
