"""The Disqus import: threads matched to reports, their posts written as comments.

Two passes over the file, both streamed.  The first keeps only each thread and each
post's ids (thread, parent), so threads can be matched and replies ordered after their
parents whatever the file order; a file that cannot be read stops here, before any
write.  The second writes post by post, each in one transaction with its
LegacyRecord, holding a post's text only while it waits for a parent further down
the file.  Every comment goes through the discussion's import services, keyed by its
Disqus id, so a rerun changes nothing and a newer export updates what changed.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from markdownify import markdownify

from tribune.core import clock
from tribune.discussion import services
from tribune.discussion.models import Comment, Status, Thread
from tribune.discussion.services import importing
from tribune.discussion.services.importing import ImportedEntry
from tribune.moving import records
from tribune.moving.disqus.matching import PageFinder
from tribune.moving.disqus.reader import DisqusPost, DisqusThread, read_export
from tribune.moving.disqus.report import ImportReport
from tribune.moving.disqus.tree import parents_first
from tribune.moving.models import Source

# The site key of threads whose export names no forum.
NO_FORUM = "disqus"

Progress = Callable[[int, int], None]
SourceFile = str | Path | IO[bytes]


@dataclass
class _Plan:
    """What the first pass learnt: threads, and each post's place."""

    threads: dict[str, DisqusThread] = field(default_factory=dict)
    # thread id -> [(post id, parent id)] in file order
    skeleton: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # post id -> parent id once missing parents and cycles are cut
    parent_of: dict[str, str] = field(default_factory=dict)
    # post ids that have replies (their comments are kept for the replies)
    parents: set[str] = field(default_factory=set)
    # thread id -> (its comment thread here, site key)
    matched: dict[str, tuple[Thread, str]] = field(default_factory=dict)
    posts: int = 0


def _read(source: SourceFile) -> Iterator[DisqusThread | DisqusPost]:
    if isinstance(source, str | Path):
        with Path(source).open("rb") as handle:
            yield from read_export(handle)
    else:
        source.seek(0)
        yield from read_export(source)


def _survey(source: SourceFile, report: ImportReport) -> _Plan:
    plan = _Plan()
    for item in _read(source):
        if isinstance(item, DisqusThread):
            plan.threads[item.dsq_id] = item
            report.counts["threads in file"] += 1
            continue
        report.counts["posts in file"] += 1
        if not item.dsq_id:
            report.skip(f"a post in thread {item.thread_id or '?'}: it has no dsq:id")
            continue
        plan.skeleton.setdefault(item.thread_id, []).append(
            (item.dsq_id, item.parent_id)
        )
        plan.posts += 1
    return plan


def _plan_threads(plan: _Plan, report: ImportReport) -> None:
    finder = PageFinder()
    for thread_id, posts in plan.skeleton.items():
        source = plan.threads.get(thread_id)
        if source is None:
            for post_id, _parent in posts:
                report.skip(
                    f"post {post_id}: its thread {thread_id or '?'} "
                    "is not in the export"
                )
            continue
        match = finder.find(source)
        if match.page is None:
            label = source.link or source.title or thread_id
            report.skip(
                f"thread {thread_id} ({label}): {match.how}; "
                f"its {len(posts)} posts were not imported",
                posts=len(posts),
            )
            report.counts["threads skipped"] += 1
            continue
        report.counts[f"threads matched by {match.how}"] += 1
        if source.closed:
            report.notes.append(
                f"thread {thread_id} was closed on Disqus; the comment setting of "
                f"{match.page.title!r} is left as it is"
            )
        site_key = source.forum or NO_FORUM
        with transaction.atomic():
            thread = services.get_or_create_thread(article=match.page)
            records.remember_import(
                source=Source.DISQUS,
                site_key=site_key,
                kind="thread",
                legacy_id=thread_id,
                target=thread,
            )
        plan.matched[thread_id] = (thread, site_key)
        ordered, orphans = parents_first(posts)
        plan.parent_of.update(ordered)
        plan.parents.update(parent for _key, parent in ordered if parent)
        given = dict(posts)
        for key in orphans:
            report.notes.append(
                f"post {key}: its parent {given[key]} is not in the thread; "
                "kept as a top-level comment"
            )
    report.counts["threads without posts"] += len(
        set(plan.threads) - set(plan.skeleton)
    )


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
    parts = [item.name, item.email, item.body, item.created_at.isoformat()]
    text = "\x1f".join([*parts, item.status, parent_id])
    return hashlib.sha256(text.encode()).hexdigest()


class _Writer:
    """The second pass: posts written one transaction each, parents first."""

    def __init__(self, plan: _Plan, report: ImportReport, progress: Progress | None):
        self.plan = plan
        self.report = report
        self.progress = progress
        self.done = 0
        # Comments of posts that have replies, by post id.
        self.made: dict[str, Comment] = {}
        # Posts whose parent comes later in the file, by that parent's id.
        self.waiting: dict[str, list[DisqusPost]] = {}

    def post(self, post: DisqusPost) -> None:
        if post.thread_id not in self.plan.matched or post.dsq_id not in (
            self.plan.parent_of
        ):
            return
        parent = self.plan.parent_of[post.dsq_id]
        if parent and parent not in self.made:
            self.waiting.setdefault(parent, []).append(post)
            return
        self._release(post)

    def _release(self, post: DisqusPost) -> None:
        """Write `post`, then the replies that were waiting for it."""
        stack = [post]
        while stack:
            current = stack.pop()
            self._write(current, self.plan.parent_of[current.dsq_id])
            stack.extend(reversed(self.waiting.pop(current.dsq_id, [])))

    def finish(self) -> None:
        """Replies whose parent failed become top-level comments, noted; then the
        threads are recounted."""
        while self.waiting:
            parent, posts = next(iter(self.waiting.items()))
            del self.waiting[parent]
            for post in posts:
                self.report.notes.append(
                    f"post {post.dsq_id}: its parent {parent} was not imported; "
                    "kept as a top-level comment"
                )
                self.plan.parent_of[post.dsq_id] = ""
                self._release(post)
        for thread, _site_key in self.plan.matched.values():
            importing.finish_thread_import(thread=thread)

    def _write(self, post: DisqusPost, parent_key: str) -> None:
        thread, site_key = self.plan.matched[post.thread_id]
        try:
            with transaction.atomic():
                comment = self._import(post, parent_key, thread, site_key)
        except (DatabaseError, ValueError) as error:
            self.report.skip(f"post {post.dsq_id}: not imported ({error})")
            return
        if post.dsq_id in self.plan.parents:
            self.made[post.dsq_id] = comment
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.plan.posts)

    def _import(
        self, post: DisqusPost, parent_key: str, thread: Thread, site_key: str
    ) -> Comment:
        item = legacy_comment(post)
        if post.created_at is None:
            self.report.notes.append(
                f"post {post.dsq_id}: no date, given the time of import"
            )
        fingerprint = _fingerprint(item, parent_key)
        record = records.find_record(
            source=Source.DISQUS, site_key=site_key, kind="post", legacy_id=post.dsq_id
        )
        existing = (
            Comment.objects.filter(pk=record.object_id).first() if record else None
        )
        if existing is not None and record and record.fingerprint == fingerprint:
            self.report.counts["comments unchanged"] += 1
            return existing
        comment = importing.import_entry(
            thread=thread,
            entry=item,
            parent=self.made.get(parent_key) if parent_key else None,
            existing=existing,
        )
        self.report.counts["comments updated" if existing else "comments added"] += 1
        records.remember_import(
            source=Source.DISQUS,
            site_key=site_key,
            kind="post",
            legacy_id=post.dsq_id,
            target=comment,
            fingerprint=fingerprint,
        )
        return comment


def import_disqus(
    source: SourceFile, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Import a Disqus export (a path or a seekable binary file); returns the report.

    Raises reader.DisqusReadError before writing anything when the file cannot
    be read.  With `dry_run`, everything is done and then rolled back.
    """
    report = ImportReport(dry_run=dry_run)
    plan = _survey(source, report)
    # A dry run does everything in one transaction and rolls it back; a real
    # run commits post by post.
    with transaction.atomic() if dry_run else contextlib.nullcontext():
        _plan_threads(plan, report)
        writer = _Writer(plan, report, progress)
        for item in _read(source):
            if isinstance(item, DisqusPost):
                writer.post(item)
        writer.finish()
        if dry_run:
            transaction.set_rollback(True)
    return report
