"""The worker's side of the outbox: claim a message, hand it over, record the outcome.

Every state change is a conditional UPDATE on the row, so two workers (or a
worker and the sweeper) never both act on one message. The lease token is the
attempt number: a worker only writes to a row whose `attempts` is still the one
it claimed.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, Q

from tribune.core import clock
from tribune.mailing import backoff, conf, transport
from tribune.mailing.models import OutboundEmail, Suppression

logger = logging.getLogger(__name__)
Status = OutboundEmail.Status


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did, for logs and tests."""

    requeued: int
    unknown: int
    enqueued: list[int]
    failed: int = 0


def deliver(*, email_id: int) -> str:
    """Try to deliver one queued message; return what happened.

    Does nothing ("skipped") unless the row is queued and due. Runs in the
    worker, outside any transaction: each step commits on its own.
    """
    now = clock.now()
    claimed = OutboundEmail.objects.filter(
        pk=email_id, status=Status.QUEUED, next_attempt_at__lte=now
    ).update(
        status=Status.SENDING,
        attempts=F("attempts") + 1,
        lease_until=now + dt.timedelta(seconds=conf.lease_seconds()),
        handed_over_at=None,
    )
    if not claimed:
        return "skipped"
    email = OutboundEmail.objects.filter(pk=email_id).first()
    if email is None:  # erased since the claim
        return "skipped"
    mine = OutboundEmail.objects.filter(
        pk=email_id, attempts=email.attempts, status=Status.SENDING
    )
    suppressed = Suppression.objects.filter(email=email.recipient)
    if suppressed.exists():
        mine.update(status=Status.SUPPRESSED, lease_until=None)
        return Status.SUPPRESSED

    def before_handover() -> bool:
        # Still ours, and not suppressed while the conversation ran.
        return bool(mine.exclude(Exists(suppressed)).update(handed_over_at=clock.now()))

    try:
        message = _message(email)
        message.message()  # a message that cannot be built never will be
    except Exception as exc:
        return _record_failure(email, f"{type(exc).__name__}: {exc}", temporary=False)
    try:
        transport.send(message, before_handover=before_handover)
    except transport.NotOursError:
        if mine.filter(Exists(suppressed)).update(
            status=Status.SUPPRESSED, lease_until=None
        ):
            return Status.SUPPRESSED
        return "skipped"
    except transport.HandoverUnknownError as exc:
        _settle_unknown(email, str(exc))
        return Status.UNKNOWN
    except transport.TransportError as exc:
        return _record_failure(email, str(exc), temporary=exc.temporary)
    # The row may have gone to "unknown" if the answer came after the lease.
    OutboundEmail.objects.filter(
        pk=email_id,
        attempts=email.attempts,
        status__in=[Status.SENDING, Status.UNKNOWN],
    ).update(status=Status.SENT, sent_at=clock.now(), lease_until=None, last_error="")
    return Status.SENT


def _message(email: OutboundEmail) -> EmailMultiAlternatives:
    headers = {**email.headers, "Message-ID": email.message_id}
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        headers=headers,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    return message


def _record_failure(email: OutboundEmail, error: str, *, temporary: bool) -> str:
    give_up = not temporary or email.attempts >= conf.max_attempts()
    mine = OutboundEmail.objects.filter(
        pk=email.pk, attempts=email.attempts, status=Status.SENDING
    )
    if give_up:
        mine.update(status=Status.FAILED, lease_until=None, last_error=error)
        logger.warning("mail %s failed for good: %s", email.pk, error)
        return Status.FAILED
    due = clock.now() + backoff.retry_delay(
        attempts=email.attempts,
        base=conf.backoff_base_seconds(),
        cap=conf.backoff_cap_seconds(),
    )
    if mine.update(
        status=Status.QUEUED,
        next_attempt_at=due,
        # The deferred task becomes runnable at `due`; the sweeper counts from there.
        enqueued_at=due,
        lease_until=None,
        last_error=error,
    ):
        _enqueue(email.pk, run_after=due)
    logger.info("mail %s will be retried at %s: %s", email.pk, due, error)
    return Status.QUEUED


def _settle_unknown(email: OutboundEmail, error: str) -> None:
    OutboundEmail.objects.filter(
        pk=email.pk, attempts=email.attempts, status=Status.SENDING
    ).update(status=Status.UNKNOWN, lease_until=None, last_error=error)
    logger.error("mail %s: delivery unknown (%s)", email.pk, error)


def sweep() -> SweepResult:
    """Recover messages whose worker vanished and enqueue due retries.

    A message whose lease ran out before its hand-over goes back to the queue
    (the server cannot have accepted it). One whose lease ran out after the
    hand-over becomes "unknown": the server may hold it, and sending it again
    could give the reader a second copy. Due messages whose task is older than
    the grace period are enqueued again; the claim makes extra tasks harmless.
    """
    now = clock.now()
    expired = Q(status=Status.SENDING, lease_until__lt=now)
    # A message that keeps killing its worker (or outliving its lease) stops.
    given_up = OutboundEmail.objects.filter(
        expired, handed_over_at__isnull=True, attempts__gte=conf.max_attempts()
    ).update(
        status=Status.FAILED,
        lease_until=None,
        last_error="the worker stopped before handing the message over, every attempt",
    )
    back = list(
        OutboundEmail.objects.filter(expired, handed_over_at__isnull=True).values_list(
            "pk", flat=True
        )[:1000]
    )
    requeued = OutboundEmail.objects.filter(
        expired, pk__in=back, handed_over_at__isnull=True
    ).update(
        status=Status.QUEUED,
        next_attempt_at=now,
        enqueued_at=now,
        lease_until=None,
        last_error="the worker stopped before handing the message over",
    )
    unknown = OutboundEmail.objects.filter(
        expired, handed_over_at__isnull=False
    ).update(
        status=Status.UNKNOWN,
        lease_until=None,
        last_error="the worker stopped after handing the message over",
    )
    stale = now - dt.timedelta(seconds=conf.requeue_grace_seconds())
    due = list(
        OutboundEmail.objects.filter(
            status=Status.QUEUED, next_attempt_at__lte=now, enqueued_at__lt=stale
        ).values_list("pk", flat=True)[:1000]
    )
    if due:
        OutboundEmail.objects.filter(pk__in=due).update(enqueued_at=now)
    for pk in [*back, *due]:
        _enqueue(pk)
    return SweepResult(
        requeued=requeued, unknown=unknown, enqueued=[*back, *due], failed=given_up
    )


def enqueue_on_commit(email_id: int) -> None:
    """Enqueue the delivery task once the surrounding transaction commits."""
    transaction.on_commit(lambda: _enqueue(email_id))


def _enqueue(email_id: int, run_after: dt.datetime | None = None) -> None:
    from tribune.mailing import tasks

    task = tasks.deliver_email
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    try:
        task.enqueue(email_id)
    except Exception:
        # The row stays queued; the sweeper enqueues it again.
        logger.exception("could not enqueue mail %s", email_id)
