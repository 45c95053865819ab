"""The `tribune` console command: picks settings, then runs Django or the web server."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tribune.core.keeper import ProcessKeeper

USAGE = """usage: tribune <command> [options]

  demo      migrate and load the demo newsroom (idempotent)
  serve     run the production web server (granian) [--bind HOST:PORT] [--workers N]
  worker    run the background worker (mail, scheduled publishing)
  live      run the live updates stream (Server-Sent Events) [--bind HOST:PORT]
  backup    write the database and media files to one archive: backup PATH
  restore   bring a backup back: restore PATH [--yes] [--dry-run]
  <other>   any Django management command (migrate, createsuperuser, check, ...)
"""


def _static_files_changed(manifest: Path) -> bool:
    """Whether any static source file is newer than the collected manifest."""
    from django.contrib.staticfiles import finders

    if not manifest.exists():
        return True
    collected = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            if storage.get_modified_time(path).timestamp() > collected:
                return True
    return False


def _access_log() -> tuple[list[str], Path | None]:
    # One line per request on standard output unless TRIBUNE_ACCESS_LOG says where
    # (a file, or "off" when a proxy in front already logs, as in the benchmark).
    where = os.environ.get("TRIBUNE_ACCESS_LOG", "-")
    if where == "off":
        return [], None
    if where == "-":
        return ["--access-log"], None
    # granian logs through `logging`: its access logger gets a file handler.
    config = {
        "handlers": {
            "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
            "access": {"class": "logging.FileHandler", "filename": where},
        },
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "granian.access": {
                "handlers": ["access"],
                "level": "INFO",
                "propagate": False,
            },
        },
    }
    handle, path = tempfile.mkstemp(prefix="tribune-log-", suffix=".json")
    with os.fdopen(handle, "w") as file:
        json.dump(config, file)
    # Read once at start; _serve removes it when the server stops.
    return ["--access-log", "--log-config", path], Path(path)


def _address(bind: str) -> list[str]:
    """HOST:PORT (or [IPv6]:PORT, or unix:PATH) as granian's options."""
    if bind.startswith("unix:"):
        return ["--uds", bind.removeprefix("unix:")]
    host, _, port = bind.rpartition(":")
    return ["--host", host.strip("[]") or "127.0.0.1", "--port", port or "8000"]


def _serve_options(args: list[str]) -> tuple[str, str, list[str]]:
    """`--bind` and `--workers` (ours, as with gunicorn before); the rest is
    passed to granian as given."""
    bind = os.environ.get("TRIBUNE_BIND", "127.0.0.1:8000")
    workers = os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2 + 1))
    rest: list[str] = []
    words = iter(args)
    for word in words:
        name, equals, value = word.partition("=")
        if name in {"--bind", "-b", "--workers", "-w"}:
            value = value if equals else next(words, "")
            if name in {"--bind", "-b"}:
                bind = value
            else:
                workers = value
        else:
            rest.append(word)
    return bind, workers, rest


def _serve(args: list[str]) -> None:
    from django.conf import settings
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connections

    if _static_files_changed(settings.STATIC_ROOT / "staticfiles.json"):
        call_command("collectstatic", interactive=False, verbosity=0)
    bind, workers, rest = _serve_options(args)
    log_options, log_config = _access_log()
    # The workers are forked from this process: none may share its connections.
    connections.close_all()
    caches.close_all()
    argv = [
        "--interface",
        "wsgi",
        "--no-ws",
        *_address(bind),
        "--workers",
        workers,
        # Threads that run the site's code in each worker: more only queue on the
        # GIL and SQLite's single writer (docs/benchmarks.md, "Server threads").
        "--blocking-threads",
        os.environ.get("TRIBUNE_THREADS", "2"),
        # A worker that dies is replaced; one that will not stop is killed.
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "25",
        *log_options,
        *rest,
        "tribune.config.wsgi:application",
    ]
    from granian.cli import cli

    live = _start_live()
    try:
        cli.main(args=argv, prog_name="tribune serve", auto_envvar_prefix="GRANIAN")
    finally:
        if live is not None:
            live.stop(timeout=10)
        if log_config is not None:
            log_config.unlink(missing_ok=True)


def _start_live() -> ProcessKeeper | None:
    """`tribune live` beside the web server (TRIBUNE_LIVE_BIND; "off" if run elsewhere),
    started again if it exits while the web server runs.

    Its own process: streams stay open for hours and must not hold the
    workers that serve pages (docs/decisions/0025-live-updates.md).
    """
    from tribune.core.keeper import ProcessKeeper

    host, _, port = os.environ.get("TRIBUNE_BIND", "127.0.0.1:8000").rpartition(":")
    # Next to the web server's port unless told: 8000 -> 8001.
    default = f"{host}:{int(port) + 1}" if port.isdigit() else "127.0.0.1:8001"
    bind = os.environ.get("TRIBUNE_LIVE_BIND", default)
    if bind == "off":
        return None
    return ProcessKeeper(
        [sys.executable, "-m", "tribune", "live", "--bind", bind]
    ).start()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.dev")
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(USAGE)
        return
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"tribune: {exc}\n")
        raise SystemExit(2) from None
    command, rest = args[0], args[1:]
    _check(command)
    if command == "serve":
        _serve(rest)
        return
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    aliases = {"demo": "demo_load", "worker": "core_worker"}
    try:
        execute_from_command_line(["tribune", aliases.get(command, command), *rest])
    except (DatabaseError, OSError) as exc:
        if command not in {"migrate", "demo"}:
            raise
        # One line naming what failed, instead of a traceback without the path.
        from tribune.core import startup

        sys.stderr.write(f"tribune: {command} failed: {startup.describe(exc)}\n")
        raise SystemExit(1) from None


def _check(command: str) -> None:
    """Stop with one line when what the command needs is not there."""
    if command not in {"serve", "worker", "migrate", "demo"}:
        return
    from tribune.core import startup

    if command in {"serve", "worker"}:
        found = startup.problem()
    else:
        found = startup.check_database()
    if found:
        sys.stderr.write(f"tribune: cannot {command}: {found}\n")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
