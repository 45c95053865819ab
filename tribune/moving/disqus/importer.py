"""The Disqus import: threads matched to reports, their posts written as comments.

Every comment goes through the discussion's import services, and every imported
object is keyed by its Disqus id in a LegacyRecord, so a rerun of the same export
changes nothing and a newer export updates only what changed.  Each thread is
written in one transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from markdownify import markdownify

from tribune.core import clock
from tribune.discussion import import_services, services
from tribune.discussion.import_services import ImportedEntry
from tribune.discussion.models import Comment, Status, Thread
from tribune.moving import records
from tribune.moving.disqus.matching import PageFinder
from tribune.moving.disqus.reader import DisqusPost, DisqusThread, read_export
from tribune.moving.disqus.tree import parents_first
from tribune.moving.models import Source
from tribune.newsroom.models import ArticlePage

# The site key of threads whose export names no forum.
NO_FORUM = "disqus"


@dataclass
class ImportReport:
    """What an import did: counts by kind, and one line per thing skipped or noted."""

    counts: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def lines(self) -> list[str]:
        head = [_("Disqus import (dry run: nothing was saved)")] if self.dry_run else []
        counts = [f"{kind}: {n}" for kind, n in sorted(self.counts.items())]
        skipped = [f"skipped {line}" for line in self.skipped]
        notes = [f"note {line}" for line in self.notes]
        return [*head, *counts, *skipped, *notes]


@dataclass
class _Export:
    threads: dict[str, DisqusThread] = field(default_factory=dict)
    posts: dict[str, list[DisqusPost]] = field(default_factory=dict)


def _collect(
    items: Iterable[DisqusThread | DisqusPost], report: ImportReport
) -> _Export:
    export = _Export()
    for item in items:
        if isinstance(item, DisqusThread):
            export.threads[item.dsq_id] = item
            report.counts["threads in file"] += 1
        else:
            export.posts.setdefault(item.thread_id, []).append(item)
            report.counts["posts in file"] += 1
    for thread_id, posts in export.posts.items():
        if thread_id not in export.threads:
            for post in posts:
                report.skipped.append(
                    f"post {post.dsq_id}: its thread {thread_id or '?'} "
                    "is not in the export"
                )
                report.counts["posts skipped"] += 1
    return export


def _status(post: DisqusPost) -> str:
    if post.spam:
        return Status.SPAM
    if post.deleted:
        return Status.DELETED
    return Status.APPROVED


def _email(post: DisqusPost) -> str:
    try:
        validate_email(post.author_email)
    except ValidationError:
        return ""
    return post.author_email


def legacy_comment(post: DisqusPost) -> ImportedEntry:
    """The comment a Disqus post becomes: Markdown body, private email, status."""
    name = post.author_name or post.author_username or _("Anonymous")
    body = markdownify(post.message, heading_style="ATX", strip=["img"]).strip()
    return ImportedEntry(
        name=name,
        email=_email(post),
        body=body,
        created_at=post.created_at or clock.now(),
        status=_status(post),
    )


def _fingerprint(item: ImportedEntry, parent_id: str) -> str:
    text = "\x1f".join(
        [
            item.name,
            item.email,
            item.body,
            item.created_at.isoformat(),
            item.status,
            parent_id,
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _import_post(
    post: DisqusPost,
    parent_key: str,
    *,
    thread: Thread,
    site_key: str,
    made: dict[str, Comment],
    report: ImportReport,
) -> None:
    item = legacy_comment(post)
    if post.created_at is None:
        report.notes.append(f"post {post.dsq_id}: no date, given the time of import")
    fingerprint = _fingerprint(item, parent_key)
    record = records.find_record(
        source=Source.DISQUS, site_key=site_key, kind="post", legacy_id=post.dsq_id
    )
    existing = Comment.objects.filter(pk=record.object_id).first() if record else None
    if existing is not None:
        made[post.dsq_id] = existing
        if record is not None and record.fingerprint == fingerprint:
            report.counts["comments unchanged"] += 1
            return
        made[post.dsq_id] = import_services.import_entry(
            thread=thread, entry=item, existing=existing
        )
        report.counts["comments updated"] += 1
    else:
        made[post.dsq_id] = import_services.import_entry(
            thread=thread,
            entry=item,
            parent=made.get(parent_key) if parent_key else None,
        )
        report.counts["comments added"] += 1
    records.remember_import(
        source=Source.DISQUS,
        site_key=site_key,
        kind="post",
        legacy_id=post.dsq_id,
        target=made[post.dsq_id],
        fingerprint=fingerprint,
    )


@transaction.atomic
def _import_thread(
    source: DisqusThread,
    page: ArticlePage,
    posts: list[DisqusPost],
    report: ImportReport,
) -> None:
    site_key = source.forum or NO_FORUM
    thread = services.get_or_create_thread(page=page)
    records.remember_import(
        source=Source.DISQUS,
        site_key=site_key,
        kind="thread",
        legacy_id=source.dsq_id,
        target=thread,
    )
    by_id = {post.dsq_id: post for post in posts if post.dsq_id}
    for post in posts:
        if not post.dsq_id:
            report.skipped.append(f"a post in thread {source.dsq_id}: it has no dsq:id")
            report.counts["posts skipped"] += 1
    ordered, orphans = parents_first([(p.dsq_id, p.parent_id) for p in by_id.values()])
    for key in orphans:
        report.notes.append(
            f"post {key}: its parent {by_id[key].parent_id} is not in the thread; "
            "kept as a top-level comment"
        )
    made: dict[str, Comment] = {}
    for key, parent_key in ordered:
        _import_post(
            by_id[key],
            parent_key,
            thread=thread,
            site_key=site_key,
            made=made,
            report=report,
        )
    import_services.finish_thread_import(thread=thread)


def import_disqus(
    source: str | IO[bytes],
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a Disqus export; returns the report.

    Raises reader.DisqusReadError before writing anything when the file cannot
    be read.  With `dry_run`, everything is done and then rolled back.
    """
    report = ImportReport(dry_run=dry_run)
    export = _collect(read_export(source), report)
    finder = PageFinder()
    # A dry run does everything in one transaction and rolls it back; a real
    # run commits thread by thread.
    with transaction.atomic() if dry_run else contextlib.nullcontext():
        total = len(export.threads)
        for n, thread in enumerate(export.threads.values(), start=1):
            posts = export.posts.get(thread.dsq_id, [])
            _match_and_import(thread, posts, finder, report)
            if progress is not None:
                progress(n, total)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _match_and_import(
    thread: DisqusThread,
    posts: list[DisqusPost],
    finder: PageFinder,
    report: ImportReport,
) -> None:
    if not posts:
        report.counts["threads without posts"] += 1
        return
    match = finder.find(thread)
    if match.page is None:
        label = thread.link or thread.title or thread.dsq_id
        report.skipped.append(
            f"thread {thread.dsq_id} ({label}): {match.how}; "
            f"its {len(posts)} posts were not imported"
        )
        report.counts["threads skipped"] += 1
        report.counts["posts skipped"] += len(posts)
        return
    try:
        _import_thread(thread, match.page, posts, report)
    except (DatabaseError, ValueError) as error:
        # The thread's transaction was rolled back: none of its posts are in.
        report.skipped.append(f"thread {thread.dsq_id}: not imported ({error})")
        report.counts["threads skipped"] += 1
        report.counts["posts skipped"] += len(posts)
        return
    report.counts[f"threads matched by {match.how}"] += 1
