"""The send state machine: a send's recipients become delivery rows, and the
worker hands them to the outbox a batch at a time, at the configured rate.

Progress lives in the delivery rows. A batch is one transaction: the outbox
rows and the deliveries' "queued" mark commit together, so a worker killed
mid-batch leaves the batch pending and the next run redoes it; the outbox's
one-row-per-recipient-and-key rule makes a redone recipient a no-op. The
outbox then delivers each message exactly once (decision 0002).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from tribune.core import clock
from tribune.mailing.models import Suppression
from tribune.newsletter import conf, matching, notifications, selectors
from tribune.newsletter.models import Delivery, Dispatch, Frequency, Subscriber

logger = logging.getLogger(__name__)
_INSERT_CHUNK = 2000


@dataclass
class PaceResult:
    """What one run did, for logs and tests."""

    prepared: list[int] = field(default_factory=list)
    queued: int = 0
    skipped: int = 0
    finished: list[int] = field(default_factory=list)


def _recipients(dispatch: Dispatch) -> QuerySet[Subscriber]:
    kind = Dispatch.Kind
    if dispatch.kind == kind.DAILY:
        return Subscriber.objects.filter(frequency=Frequency.DAILY).order_by("pk")
    if dispatch.kind == kind.WEEKLY:
        return Subscriber.objects.filter(frequency=Frequency.WEEKLY).order_by("pk")
    if dispatch.kind == kind.CORRECTION:
        return selectors.recipients_of_correction(dispatch)
    reports = selectors.list_reports(
        [dispatch.article_id] if dispatch.article_id else []
    )
    if not reports:
        return Subscriber.objects.none()
    return selectors.recipients_of_report(
        series_id=reports[0].series_id, topic_ids=reports[0].topic_ids
    )


def prepare(dispatch: Dispatch) -> int:
    """Write one pending delivery per recipient and start the send.

    One transaction: a worker killed here leaves the send "preparing" and the
    next run starts it again from nothing. Returns the number of recipients.
    """
    with transaction.atomic():
        locked = (
            Dispatch.objects.select_for_update()
            .filter(pk=dispatch.pk, state=Dispatch.State.PREPARING)
            .first()
        )
        if locked is None:
            return 0
        ids = _recipients(locked).values_list("pk", flat=True)
        if (
            locked.kind in (Dispatch.Kind.DAILY, Dispatch.Kind.WEEKLY)
            and not locked.article_ids
        ):
            ids = Subscriber.objects.none().values_list("pk", flat=True)
        count = 0
        chunk: list[Delivery] = []
        for pk in ids.iterator(chunk_size=_INSERT_CHUNK):
            chunk.append(Delivery(dispatch_id=locked.pk, subscriber_id=pk))
            if len(chunk) >= _INSERT_CHUNK:
                Delivery.objects.bulk_create(chunk)
                count += len(chunk)
                chunk = []
        Delivery.objects.bulk_create(chunk)
        count += len(chunk)
        Dispatch.objects.filter(pk=locked.pk).update(
            state=Dispatch.State.SENDING, recipients=count
        )
    return count


def _finish_if_done(dispatch: Dispatch) -> bool:
    if Delivery.objects.filter(
        dispatch=dispatch, state=Delivery.State.PENDING
    ).exists():
        return False
    return bool(
        Dispatch.objects.filter(pk=dispatch.pk, state=Dispatch.State.SENDING).update(
            state=Dispatch.State.DONE, finished_at=clock.now()
        )
    )


def _render_batch(
    dispatch: Dispatch, rows: list[Delivery]
) -> dict[int, dict[str, Any] | None]:
    """Each row's mail, or None for a row to skip (suppressed, or a digest with
    nothing the reader follows). Reads only: runs outside any transaction."""
    edition = notifications.build_edition(dispatch)
    digest = dispatch.kind in (Dispatch.Kind.DAILY, Dispatch.Kind.WEEKLY)
    emails = [row.subscriber.email for row in rows]
    suppressed = set(
        Suppression.objects.filter(email__in=emails).values_list("email", flat=True)
    )
    choices = _choices([row.subscriber_id for row in rows]) if digest else {}
    mails: dict[int, dict[str, Any] | None] = {}
    for row in rows:
        subscriber = row.subscriber
        wanted = None
        if digest:
            series_ids, topic_ids = choices.get(subscriber.pk, ([], []))
            wanted = notifications.wanted_by(subscriber, series_ids, topic_ids)
        if subscriber.email in suppressed:
            mails[row.pk] = None
        else:
            mails[row.pk] = notifications.render(
                edition, email=subscriber.email, wanted=wanted
            )
    return mails


def _send_batch(dispatch: Dispatch, *, limit: int) -> tuple[int, int]:
    """Hand up to `limit` pending recipients of a send to the outbox.

    The mail is rendered before the write transaction, so the transaction
    (which on SQLite holds the one writer lock) only inserts rows. Rows another
    worker handed over meanwhile are left out. Returns (queued, skipped).
    """
    rows = list(
        Delivery.objects.filter(dispatch=dispatch, state=Delivery.State.PENDING)
        .select_related("subscriber")
        .order_by("pk")[:limit]
    )
    if not rows:
        return 0, 0
    mails = _render_batch(dispatch, rows)
    queued: list[int] = []
    skipped: list[int] = []
    with transaction.atomic():
        still = set(
            Delivery.objects.filter(
                pk__in=[row.pk for row in rows], state=Delivery.State.PENDING
            )
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        for row in rows:
            if row.pk not in still:
                continue
            mail = mails[row.pk]
            if mail is None:
                skipped.append(row.pk)
                continue
            notifications.queue_mail(dispatch, email=row.subscriber.email, mail=mail)
            queued.append(row.pk)
        Delivery.objects.filter(pk__in=queued).update(
            state=Delivery.State.QUEUED, queued_at=clock.now()
        )
        Delivery.objects.filter(pk__in=skipped).update(state=Delivery.State.SKIPPED)
    return len(queued), len(skipped)


def _choices(subscriber_ids: list[int]) -> dict[int, tuple[list[int], list[int]]]:
    """Each subscriber's series and topic ids, in two queries."""
    result: dict[int, tuple[list[int], list[int]]] = {
        pk: ([], []) for pk in subscriber_ids
    }
    series = Subscriber.series.through.objects.filter(subscriber_id__in=subscriber_ids)
    for sub_id, series_id in series.values_list("subscriber_id", "seriespage_id"):
        result[sub_id][0].append(series_id)
    topics = Subscriber.topics.through.objects.filter(subscriber_id__in=subscriber_ids)
    for sub_id, tag_id in topics.values_list("subscriber_id", "tag_id"):
        result[sub_id][1].append(tag_id)
    return result


def pace(*, now: dt.datetime | None = None) -> PaceResult:
    """One run of the send machine: start new sends, then hand out one budget.

    The budget (matching.allowance) keeps to NEWSLETTER_RATE_PER_MINUTE and
    leaves at most NEWSLETTER_BATCH newsletter messages waiting in the outbox,
    so other mail is never stuck behind a big send. Oldest sends go first.
    """
    now = now or clock.now()
    result = PaceResult()
    for dispatch in Dispatch.objects.filter(state=Dispatch.State.PREPARING).order_by(
        "pk"
    ):
        prepare(dispatch)
        result.prepared.append(dispatch.pk)
    budget = matching.allowance(
        rate=conf.rate_per_minute(),
        sent_last_minute=selectors.handed_over_since(now - dt.timedelta(minutes=1)),
        backlog=selectors.outbox_backlog(),
        batch=conf.batch_size(),
    )
    for dispatch in Dispatch.objects.filter(state=Dispatch.State.SENDING).order_by(
        "pk"
    ):
        while budget > 0:
            queued, skipped = _send_batch(dispatch, limit=budget)
            result.queued += queued
            result.skipped += skipped
            budget -= queued
            if queued + skipped == 0:
                break
        if _finish_if_done(dispatch):
            result.finished.append(dispatch.pk)
        if budget <= 0:
            break
    return result
