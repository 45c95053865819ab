"""`tribune worker`: the task queue worker plus a clock for periodic commands."""

from __future__ import annotations

import faulthandler
import logging
import signal
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger(__name__)

# Commands the clock runs, with their period in seconds; settings add the
# apps' own (WORKER_PERIODIC_COMMANDS). Wagtail publishes scheduled pages only
# when asked; asking here is what a cron entry would do, without needing cron.
DEFAULT_PERIODIC_COMMANDS = {"publish_scheduled": 60.0}


def _run_periodically(periods: dict[str, float], stop: threading.Event) -> None:
    """Run each command every `period` seconds until `stop` is set.

    Each command has its own thread, so a slow one (mail to a server that
    stalls) does not hold back the others. A failing run (database or Redis
    away) is logged and the next one comes at its time.
    """
    threads = [
        threading.Thread(
            target=_every, args=(name, period, stop), name=f"clock-{name}", daemon=True
        )
        for name, period in periods.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _every(name: str, period: float, stop: threading.Event) -> None:
    while not stop.is_set():
        started = time.monotonic()
        try:
            close_old_connections()
            call_command(name, verbosity=0)
        except Exception:
            logger.exception("%s failed", name)
        finally:
            close_old_connections()
        stop.wait(max(period - (time.monotonic() - started), 0.0))
    connections.close_all()


def _uses_rq() -> bool:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return str(backend).startswith("django_tasks_rq.")


def _run_rq(max_tasks: int | None) -> None:
    """Run RQ's worker, starting it again whenever Redis goes away.

    RQ's worker quits on a Redis error it does not expect (at start-up, in its
    heartbeat), and its scheduler thread does not come back. Mail does not
    wait on either: the clock sends due messages from the database.
    """
    from django_rq.utils import reset_db_connections
    from django_rq.workers import get_worker
    from redis.exceptions import RedisError

    done, delay = 0, 1.0
    while max_tasks is None or done < max_tasks:
        worker, started = None, time.monotonic()
        try:
            worker = get_worker(
                "default",
                job_class="django_tasks_rq.Job",
                worker_class=_bounded_stop_worker_class(),
            )
            reset_db_connections()  # RQ forks a child per job
            worker.work(
                with_scheduler=True,
                logging_level="INFO",
                max_jobs=None if max_tasks is None else max_tasks - done,
            )
            return
        except RedisError as exc:
            logger.warning("Redis unreachable (%s); trying again in %.0f s", exc, delay)
        if worker is not None:
            done += worker.successful_job_count + worker.failed_job_count
            _stop_scheduler(worker)
        if time.monotonic() - started > 60:
            delay = 1.0  # a new outage, not the same one
        time.sleep(delay)
        # Redis usually comes back within seconds; poll gently if it does not.
        delay = min(delay * 2, 10.0)


def _stop_scheduler(worker: Any) -> None:
    """Stop the scheduler process of a worker that Redis took down.

    RQ forks its scheduler as a non-daemon process and stops it only on a
    clean shutdown; one left behind by each outage would make the worker's
    exit wait for it forever (multiprocessing joins its children at exit).
    """
    process = getattr(worker.scheduler, "_process", None)
    if process is None or not process.is_alive():
        return
    process.terminate()
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join(5)


def _bounded_stop_worker_class() -> type:
    """RQ's worker, whose stop gives its scheduler 5 s and then kills it.

    RQ's own `stop_scheduler` joins the scheduler with no timeout: a scheduler
    that does not answer SIGTERM (forked while another thread held a lock)
    would keep the worker from ever stopping.
    """
    from rq.worker import Worker

    class BoundedStopWorker(Worker):
        def stop_scheduler(self) -> None:
            _stop_scheduler(self)

    return BoundedStopWorker


class _DatabaseWorker(db_worker.Command):
    """django-tasks' database worker, quiet unless asked: at the default
    verbosity only warnings and failed tasks are logged; `-v 2` logs each task."""

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(max(verbosity - 1, 1))
        if verbosity <= 1:
            for name in (db_worker.TASKS_LOGGER, "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.WARNING)


class Command(BaseCommand):
    help = "Run background tasks and periodic commands (scheduled pages, mail)."

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
        # `kill -USR1 <pid>` prints every thread's stack to standard error and
        # the worker goes on: where a worker that will not stop is waiting.
        faulthandler.register(signal.SIGUSR1, all_threads=True)
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
                _run_rq(options["max_tasks"])
                return
            worker_options: dict[str, Any] = {"queue_name": "*"}
            if options["max_tasks"] is not None:
                worker_options["max_tasks"] = options["max_tasks"]
            call_command(
                _DatabaseWorker(), verbosity=options["verbosity"], **worker_options
            )
        finally:
            stop.set()
