"""`tribune worker`: the task queue worker plus the scheduled-publishing clock."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def _publish_scheduled_forever(interval: float, stop: threading.Event) -> None:
    # Wagtail publishes scheduled pages only when asked; asking every minute is
    # what a cron entry would do, without needing cron.
    while not stop.is_set():
        try:
            close_old_connections()
            call_command("publish_scheduled", verbosity=0)
        except Exception:
            logger.exception("publish_scheduled failed")
        stop.wait(interval)


class Command(BaseCommand):
    help = "Run background tasks and publish scheduled pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--publish-interval",
            type=float,
            default=60.0,
            help="Seconds between checks for scheduled pages (default 60).",
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Stop after this many tasks."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        clock = threading.Thread(
            target=_publish_scheduled_forever,
            args=(options["publish_interval"], stop),
            daemon=True,
        )
        clock.start()
        try:
            worker_options: dict[str, Any] = {"queue_name": "*"}
            if options["max_tasks"] is not None:
                worker_options["max_tasks"] = options["max_tasks"]
            call_command("db_worker", **worker_options)
        finally:
            stop.set()
