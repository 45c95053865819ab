"""wpDiscuz's subscriptions (a CSV export of its `wc_comments_subscription`
table, or an SQL dump of it) into confirmed Tribune subscriptions; unconfirmed
rows are dropped."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import transaction

from tribune.discussion.models import Comment
from tribune.discussion.services import get_or_create_thread
from tribune.moving.wordpress.context import Run
from tribune.moving.wordpress.sqldump import SQLDumpError, read_rows
from tribune.newsroom.models import ArticlePage
from tribune.subscriptions import services
from tribune.subscriptions.models import Scope

# wpDiscuz spells the columns "subscribtion_*"; a few exports correct it.
_TYPE = ("subscribtion_type", "subscription_type", "type")
_TARGET = ("subscribtion_id", "subscription_id")


def _get(row: dict[str, str], names: tuple[str, ...]) -> str:
    return next((row[n].strip() for n in names if row.get(n)), "")


def _page(run: Run, post_id: str) -> ArticlePage | None:
    return run.ledger.target("post", post_id, ArticlePage) or run.ledger.target(
        "page", post_id, ArticlePage
    )


def _one(row: dict[str, str], run: Run, n: int) -> None:
    email = (row.get("email") or "").strip()
    if _get(row, ("confirm", "confirmed")) not in ("1", "true", "yes"):
        run.report.skip("subscription", str(n), "not confirmed")
        return
    page = _page(run, (row.get("post_id") or "").strip())
    if page is None:
        run.report.skip("subscription", str(n), "its post was not imported")
        return
    kind = _get(row, _TYPE)
    target: dict[str, Any]
    if kind == "post":
        target = {"scope": Scope.THREAD, "thread": get_or_create_thread(article=page)}
    elif kind == "all_comment":
        target = {"scope": Scope.MY_REPLIES}
    elif kind == "comment":
        comment = run.ledger.target("comment", _get(row, _TARGET), Comment)
        if comment is None:
            run.report.skip("subscription", str(n), "its comment was not imported")
            return
        target = {"scope": Scope.COMMENT, "comment": comment}
    else:
        run.report.skip("subscription", str(n), f"unknown type {kind!r}")
        return
    try:
        with transaction.atomic():
            services.import_subscription(email=email, **target)
    except services.SubscriptionError as error:
        run.report.skip("subscription", str(n), error.message)
        return
    run.report.count("subscription", "created")


# wpDiscuz's own column order, for dumps written without column names.
TABLE_COLUMNS = (
    "id",
    "email",
    "subscribtion_id",
    "post_id",
    "subscribtion_type",
    "activation_key",
    "confirm",
    "subscription_date",
    "imported_from",
)


def _is_sql(path: Path) -> bool:
    if path.suffix.lower() == ".sql":
        return True
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        head = handle.read(4096).upper()
    return "INSERT INTO" in head or "CREATE TABLE" in head


def import_subscriptions(path: Path, run: Run) -> None:
    """Rows of a CSV export (numbered by line) or of an SQL dump (numbered
    from 1, in the dump's order)."""
    if not _is_sql(path):
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for n, row in enumerate(csv.DictReader(handle), start=2):
                _one(row, run, n)
        return
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    rows = read_rows(
        text, table_suffix="wc_comments_subscription", default_columns=TABLE_COLUMNS
    )
    n = 0
    try:
        for n, row in enumerate(rows, start=1):
            _one(row, run, n)
    except SQLDumpError as error:
        run.report.skip("subscriptions", path.name, f"after row {n}: {error}")
