"""The WordPress import: the one service the command, the admin form's task and
the demo call.

Two passes over the file, each a stream: the first reads it whole (a file that
is not a readable export fails here, before anything is kept) and brings in
authors, categories, tags and attachments in one transaction; the second brings
in posts and pages, one transaction each with their comments and redirects, so
a post is never half-imported.  A dry run does all of it and rolls back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from tribune.moving.wordpress import comments, media, posts, sitewide, taxonomy, wxr
from tribune.moving.wordpress.context import Run
from tribune.moving.wordpress.ledger import Ledger
from tribune.moving.wordpress.report import Report
from tribune.newsroom.models import HomePage

logger = logging.getLogger(__name__)
# (done, total) items, called as the import goes.
Progress = Callable[[int, int], None]


class _RollbackError(Exception):
    """Undoes a dry run."""


def _first_pass(path: Path, uploads: Path | None, report: Report) -> tuple[Run, int]:
    records = wxr.read(str(path))
    site = next(records)
    assert isinstance(site, wxr.Site)  # noqa: S101 - read() yields the site first
    home = HomePage.objects.first()
    if home is None:
        raise wxr.WXRError(
            "This site has no home page yet: run `tribune demo` or make one."
        )
    run = Run(
        site=site,
        home=home,
        ledger=Ledger(site.key or "wordpress"),
        report=report,
        uploads=uploads,
    )
    items = 0
    for record in records:
        if isinstance(record, wxr.Author):
            taxonomy.import_author(record, run)
        elif isinstance(record, wxr.Term):
            taxonomy.import_term(record, run)
        elif isinstance(record, wxr.Item):
            items += 1
            if record.post_type == "attachment":
                media.import_attachment(
                    record,
                    uploads=run.uploads,
                    ledger=run.ledger,
                    images=run.images,
                    report=report,
                )
    sitewide.point_terms(run)
    return run, items


def _import_item(item: wxr.Item, run: Run) -> None:
    if item.post_type == "attachment":
        return
    if item.post_type in posts.NOT_CONTENT:
        run.report.skip(item.post_type or "item", item.post_id, "not content")
        return
    if not item.post_type and not item.post_id:
        run.report.skip("item", "?", f"not a WordPress item: {item.title[:60]!r}")
        return
    if item.post_type not in ("post", "page"):
        run.report.skip("item", item.post_id, f"unknown post type {item.post_type!r}")
        return
    if not item.post_id:
        run.report.skip(item.post_type, "?", f"no post id ({item.title[:60]!r})")
        return
    if item.status in posts.SKIPPED_STATUSES:
        run.report.skip(
            item.post_type, item.post_id, posts.SKIPPED_STATUSES[item.status]
        )
        return
    try:
        with transaction.atomic():
            imported = posts.import_post(item, run)
            if imported is not None:
                comments.import_comments(item, imported, run)
    except Exception as error:  # one broken post must not stop the others
        logger.exception("WordPress item %s not imported", item.post_id)
        run.report.skip(item.post_type, item.post_id, f"not imported: {error}")
        return
    if imported is not None:
        run.report.count(item.post_type, imported.outcome)


def _second_pass(path: Path, run: Run, total: int, progress: Progress | None) -> None:
    done = 0
    for record in wxr.read(str(path)):
        if not isinstance(record, wxr.Item):
            continue
        _import_item(record, run)
        done += 1
        if progress is not None:
            progress(done, total)


def _run(
    path: Path,
    uploads: Path | None,
    report: Report,
    progress: Progress | None,
    subscriptions: Path | None,
) -> None:
    with transaction.atomic():
        run, total = _first_pass(path, uploads, report)
    _second_pass(path, run, total, progress)
    posts.arrange_pages(run)
    sitewide.point_feeds(run)
    if subscriptions is not None:
        from tribune.moving.wordpress import subscriptions as subs

        subs.import_subscriptions(subscriptions, run)


def import_wordpress(
    *,
    path: Path,
    uploads: Path | None = None,
    subscriptions: Path | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Import an export file; the report says what happened (`report.error` is
    set, and nothing kept, when the file cannot be read)."""
    report = Report(dry_run=dry_run)
    try:
        if dry_run:
            with transaction.atomic():
                _run(path, uploads, report, progress, subscriptions)
                raise _RollbackError
        else:
            _run(path, uploads, report, progress, subscriptions)
    except _RollbackError:
        pass
    except (wxr.WXRError, OSError) as error:
        report.error = str(error)
    return report
