"""`tribune subscriptions_send_digests`: today's digests, lost tasks, stale requests."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tribune.core import clock
from tribune.subscriptions import announcements, services


class Command(BaseCommand):
    help = (
        "Queue the daily digest for every subscriber with new comments (from "
        "SUBSCRIPTIONS_DIGEST_HOUR on, once a day), enqueue again the notices "
        "of comments whose task was lost, and delete subscriptions left "
        "unconfirmed too long. Run by `tribune worker`; safe to repeat."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = clock.now()
        requeued = announcements.requeue_announcements(now=now)
        sent = announcements.send_digests(now=now)
        purged = services.purge_unconfirmed(now=now)
        if options["verbosity"]:
            self.stdout.write(
                f"digests queued: {sent}; notices enqueued again: {requeued}; "
                f"unconfirmed removed: {purged}"
            )
