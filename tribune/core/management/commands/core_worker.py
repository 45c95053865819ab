"""`tribune worker`: the task queue worker plus a clock for periodic commands."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

logger = logging.getLogger(__name__)

# Commands the clock runs, with their period in seconds; settings add the
# apps' own (WORKER_PERIODIC_COMMANDS). Wagtail publishes scheduled pages only
# when asked; asking here is what a cron entry would do, without needing cron.
DEFAULT_PERIODIC_COMMANDS = {"publish_scheduled": 60.0}


def _run_periodically(periods: dict[str, float], stop: threading.Event) -> None:
    due = dict.fromkeys(periods, 0.0)
    while not stop.is_set():
        for name, period in periods.items():
            if time.monotonic() < due[name]:
                continue
            try:
                close_old_connections()
                call_command(name, verbosity=0)
            except Exception:
                logger.exception("%s failed", name)
            due[name] = time.monotonic() + period
        stop.wait(min(periods.values(), default=60.0) / 2 or 1.0)


def _publish_scheduled_forever(interval: float, stop: threading.Event) -> None:
    """The scheduled-publishing clock alone (tests drive it directly)."""
    _run_periodically({"publish_scheduled": interval}, stop)


def _uses_rq() -> bool:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return str(backend).startswith("django_tasks_rq.")


class Command(BaseCommand):
    help = "Run background tasks and periodic commands (scheduled pages, mail sweep)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--publish-interval",
            type=float,
            default=None,
            help="Seconds between checks for scheduled pages (default 60).",
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Stop after this many tasks."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        periods = dict(
            getattr(settings, "WORKER_PERIODIC_COMMANDS", DEFAULT_PERIODIC_COMMANDS)
        )
        if options["publish_interval"] is not None:
            periods["publish_scheduled"] = options["publish_interval"]
        stop = threading.Event()
        clock = threading.Thread(
            target=_run_periodically, args=(periods, stop), daemon=True
        )
        clock.start()
        try:
            if _uses_rq():
                rq_options: dict[str, Any] = {
                    "job_class": "django_tasks_rq.Job",
                    "with_scheduler": True,
                }
                if options["max_tasks"] is not None:
                    rq_options["max_jobs"] = options["max_tasks"]
                call_command("rqworker", "default", **rq_options)
                return
            worker_options: dict[str, Any] = {"queue_name": "*"}
            if options["max_tasks"] is not None:
                worker_options["max_tasks"] = options["max_tasks"]
            call_command("db_worker", **worker_options)
        finally:
            stop.set()
