"""Writes that tell subscribers about a comment that became visible.

The request side records an Announcement and enqueues `notify_comment`; the
worker mails instant subscribers and files digest items; the periodic command
re-enqueues lost announcements and queues the daily digests. The task lives
here, not in tasks.py, because this module enqueues it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from tribune.core import clock
from tribune.discussion.models import Comment, Status
from tribune.subscriptions import conf, emails, selectors
from tribune.subscriptions.models import Announcement, Digest, DigestItem

logger = logging.getLogger(__name__)
# An undone announcement older than this has lost its task (see requeue).
ANNOUNCEMENT_GRACE = dt.timedelta(minutes=2)


@task()
def notify_comment(comment_id: int) -> int:
    """The worker's task for a visible comment (see notify_subscribers)."""
    return notify_subscribers(comment_id=comment_id)


def _enqueue_notify(comment_id: int) -> None:
    try:
        notify_comment.enqueue(comment_id)
    except Exception:
        # The announcement stays undone; requeue_announcements tries again.
        logger.exception("could not enqueue notices for comment %s", comment_id)


def announce_comment(*, comment: Comment) -> Announcement | None:
    """Record that a comment became visible and enqueue telling its subscribers.

    Called (after discussion's commit) for every comment that becomes
    visible; returns None, writing nothing, when no confirmed subscription
    matches it (most comments: one read instead of two writes and a task).
    The task runs on this transaction's commit; if it is lost, the undone row
    lets requeue_announcements enqueue it again. Telling twice is harmless:
    notices and digest items are unique per address and comment.
    """
    # Read before the transaction: on SQLite a transaction takes the write lock.
    if not selectors.has_recipients(comment):
        return None
    with transaction.atomic():
        announcement, _created = Announcement.objects.update_or_create(
            comment=comment, defaults={"enqueued_at": clock.now(), "done_at": None}
        )
        transaction.on_commit(lambda: _enqueue_notify(comment.pk))
    return announcement


def requeue_announcements(*, now: dt.datetime) -> int:
    """Enqueue the task again for announcements left undone past the grace time.

    Also forgets announcements done more than a week ago. Returns the number
    re-enqueued.
    """
    Announcement.objects.filter(done_at__lt=now - dt.timedelta(days=7)).delete()
    stale = list(
        Announcement.objects.filter(
            done_at__isnull=True, enqueued_at__lte=now - ANNOUNCEMENT_GRACE
        ).values_list("comment_id", flat=True)
    )
    Announcement.objects.filter(comment_id__in=stale, done_at__isnull=True).update(
        enqueued_at=now
    )
    for comment_id in stale:
        _enqueue_notify(comment_id)
    return len(stale)


def notify_subscribers(*, comment_id: int) -> int:
    """Tell every subscriber about a comment that became visible.

    Runs in the worker. Instant subscribers get one mail per comment (dedupe
    key "comment:<id>", whatever number of their subscriptions match);
    digest subscribers get a digest item. Nothing is sent if the comment is
    no longer visible. Marks the comment's announcement done. Returns the
    number of addresses reached.
    """
    comment = (
        Comment.objects.select_related("thread__page", "parent", "author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    recipients = []
    if comment.status == Status.APPROVED and comment.thread.page.live:
        recipients = selectors.recipients_for(comment)
        context = emails.comment_context(comment)
        for recipient in recipients:
            with transaction.atomic():
                if recipient.instant:
                    emails.queue_comment_notice(comment, recipient, context)
                else:
                    DigestItem.objects.get_or_create(
                        email=recipient.email, comment=comment
                    )
    Announcement.objects.filter(comment=comment).update(done_at=clock.now())
    return len(recipients)


def send_digests(*, now: dt.datetime) -> int:
    """Queue today's digest for every address with waiting items.

    From SUBSCRIPTIONS_DIGEST_HOUR (local time) on, each address gets one
    digest a day (a unique Digest row per address and day) with the items
    that waited since its last one; comments no longer visible, or no longer
    matched by any of the address's subscriptions, are left out.
    Items arriving after today's digest wait for tomorrow's. Returns the
    number of digests queued.
    """
    local = timezone.localtime(now)
    if local.hour < conf.digest_hour():
        return 0
    day = local.date()
    addresses = (
        DigestItem.objects.filter(digest__isnull=True)
        .values_list("email", flat=True)
        .distinct()
        .order_by("email")
    )
    sent = 0
    # Comment id -> addresses whose confirmed subscriptions still match it.
    wanted: dict[int, set[str]] = {}
    for email in list(addresses):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    digest = Digest.objects.create(email=email, day=day)
            except IntegrityError:
                continue  # today's digest for this address exists already
            items = list(
                DigestItem.objects.select_for_update()
                .filter(email=email, digest__isnull=True)
                .order_by("created_at", "pk")
            )
            DigestItem.objects.filter(pk__in=[i.pk for i in items]).update(
                digest=digest
            )
            comments = [
                comment
                for comment in Comment.objects.select_related(
                    "thread__page", "parent", "author"
                )
                .filter(pk__in=[i.comment_id for i in items], status=Status.APPROVED)
                .order_by("thread_id", "created_at", "pk")
                if email in _wanted_by(comment, wanted)
            ]
            if comments:
                emails.queue_digest(email, day, comments)
                sent += 1
    return sent


def _wanted_by(comment: Comment, cache: dict[int, set[str]]) -> set[str]:
    """Addresses still subscribed to a comment (unsubscribed since: left out)."""
    if comment.pk not in cache:
        cache[comment.pk] = {r.email for r in selectors.recipients_for(comment)}
    return cache[comment.pk]
