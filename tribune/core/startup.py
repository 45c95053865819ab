"""What `tribune serve` and `tribune worker` check before they start.

A process that starts without a usable database or media folder answers 500 to
everything; checking first turns that into one line naming what is wrong. Each
check returns that line, or None when all is well.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tribune.core.cache import ResilientRedisCache


def _database_name() -> str:
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"the database {conf['NAME']}"
    where = f" on {conf['HOST']}" if conf.get("HOST") else ""
    return f"the {connection.vendor} database {conf['NAME']}{where}"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def check_database_reachable() -> str | None:
    """The database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (DatabaseError, OSError) as exc:
        return f"cannot open {_database_name()}: {_reason(exc)}"
    return None


def check_migrations_applied() -> str | None:
    """Every migration is applied (a missing table would answer 500 later)."""
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except (DatabaseError, OSError) as exc:
        return f"cannot read the migrations of {_database_name()}: {_reason(exc)}"
    if plan:
        return (
            f"{len(plan)} migrations are not applied to {_database_name()}; "
            "run `tribune migrate`"
        )
    return None


def check_database_writable() -> str | None:
    """The database takes a write (a no-op update, rolled back)."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Matches no row, but still needs a writable database.
                cursor.execute("UPDATE django_migrations SET app = app WHERE id < 0")
            transaction.set_rollback(True)
    except (DatabaseError, OSError) as exc:
        return f"{_database_name()} is not writable: {_reason(exc)}"
    return None


def check_folder_writable(path: Path, what: str) -> str | None:
    """`path` exists or can be made, and a file can be written in it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".tribune-check-"):
            pass
    except OSError as exc:
        not_folder = path.exists() and not path.is_dir()
        reason = "not a folder" if not_folder else exc.strerror or str(exc)
        return f"the {what} {path} is not writable: {reason}"
    return None


def check_cache_writable() -> str | None:
    """The shared cache keeps a value. Redis being away is not a reason to stop
    (core/cache.py serves without it); a cache folder that cannot be written is."""
    conf = settings.CACHES["default"]
    if conf["BACKEND"] == f"{ResilientRedisCache.__module__}.ResilientRedisCache":
        return None
    where = conf.get("LOCATION") or "of the shared cache"
    probe = uuid.uuid4().hex
    try:
        cache = caches["default"]  # the file cache makes its folder here
        cache.set("startup:probe", probe, 10)
        kept = cache.get("startup:probe") == probe
        cache.delete("startup:probe")
    except OSError as exc:
        not_folder = Path(where).exists() and not Path(where).is_dir()
        reason = "not a folder" if not_folder else exc.strerror or str(exc)
        return f"the cache folder {where} is not writable: {reason}"
    if not kept:
        return f"the cache folder {where} does not keep what is written"
    return None


def describe(exc: BaseException) -> str:
    """One line for a database or file error, naming the database or the file."""
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    if isinstance(exc, DatabaseError):
        return f"{_database_name()}: {_reason(exc)}"
    return _reason(exc)


def check_database() -> str | None:
    """Reachable, then writable: what `tribune migrate` needs."""
    return check_database_reachable() or check_database_writable_or_new()


def check_database_writable_or_new() -> str | None:
    """Writable, for a database that may not have its tables yet."""
    try:
        tables = connection.introspection.table_names()
    except (DatabaseError, OSError) as exc:
        return f"cannot open {_database_name()}: {_reason(exc)}"
    if "django_migrations" not in tables:
        return None  # nothing to probe yet; migrate says what it cannot write
    return check_database_writable()


def problem() -> str | None:
    """The first thing that keeps a web or worker process from working."""
    return (
        check_database_reachable()
        or check_migrations_applied()
        or check_database_writable()
        or check_folder_writable(Path(settings.MEDIA_ROOT), "media folder")
        or check_cache_writable()
    )
