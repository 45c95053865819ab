"""The `tribune` console command: picks settings, then runs Django or gunicorn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

USAGE = """usage: tribune <command> [options]

  demo      migrate and load the demo newsroom (idempotent)
  serve     run the production web server (gunicorn) [--bind HOST:PORT] [--workers N]
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


def _access_log() -> list[str]:
    # One line per request on standard output unless TRIBUNE_ACCESS_LOG says where
    # ("off" when a proxy in front already logs, as in the benchmark).
    where = os.environ.get("TRIBUNE_ACCESS_LOG", "-")
    return [] if where == "off" else ["--access-logfile", where]


def _serve(args: list[str]) -> None:
    from django.conf import settings
    from django.core.management import call_command

    if _static_files_changed(settings.STATIC_ROOT / "staticfiles.json"):
        call_command("collectstatic", interactive=False, verbosity=0)
    bind = os.environ.get("TRIBUNE_BIND", "127.0.0.1:8000")
    workers = os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2 + 1))
    argv = [
        "gunicorn",
        "tribune.config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        workers,
        "--worker-class",
        "gthread",
        "--threads",
        # Two threads per process: more only queue on the GIL and SQLite's single
        # writer (docs/benchmarks.md, "Server threads").
        os.environ.get("TRIBUNE_THREADS", "2"),
        *_access_log(),
        *args,
    ]
    from gunicorn.app.wsgiapp import run

    live = _start_live()
    sys.argv = argv
    try:
        run()
    finally:
        if live is not None:
            live.terminate()
            live.wait(timeout=10)


def _start_live() -> subprocess.Popen[bytes] | None:
    """`tribune live` beside gunicorn (TRIBUNE_LIVE_BIND; "off" when run elsewhere).

    Its own process: streams stay open for hours and must not hold the
    workers that serve pages (docs/decisions/0025-live-updates.md).
    """
    host, _, port = os.environ.get("TRIBUNE_BIND", "127.0.0.1:8000").rpartition(":")
    # Next to the web server's port unless told: 8000 -> 8001.
    default = f"{host}:{int(port) + 1}" if port.isdigit() else "127.0.0.1:8001"
    bind = os.environ.get("TRIBUNE_LIVE_BIND", default)
    if bind == "off":
        return None
    command = [sys.executable, "-m", "tribune", "live", "--bind", bind]
    return subprocess.Popen(command)  # noqa: S603 (our own interpreter and module)


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
