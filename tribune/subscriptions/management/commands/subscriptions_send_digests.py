"""`tribune subscriptions_send_digests`: queue today's digests, drop stale requests."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tribune.core import clock
from tribune.subscriptions import notifications, services


class Command(BaseCommand):
    help = (
        "Queue the daily digest for every subscriber with new comments (from "
        "SUBSCRIPTIONS_DIGEST_HOUR on, once a day) and delete subscriptions "
        "left unconfirmed too long. Run by `tribune worker`; safe to repeat."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = clock.now()
        sent = notifications.send_digests(now=now)
        purged = services.purge_unconfirmed(now=now)
        if options["verbosity"]:
            self.stdout.write(f"digests queued: {sent}; unconfirmed removed: {purged}")
