"""The worker's side of the outbox: claim a message, hand it over, record the outcome.

Every state change is a conditional UPDATE on the row, so two workers (or a
worker and the sweeper) never both act on one message. The lease token is the
attempt number: a worker only writes to a row whose `attempts` is still the one
it claimed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, Q, QuerySet
from django_tasks import task

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
    resent: int = 0


# One message in flight per worker process (its task and its clock's
# deliver_due; tests call `deliver` from threads that stand for other workers).
# They would otherwise hand two over at once, and a worker killed then
# leaves one handed over but unrecorded, which the sweeper must send again (a
# second copy). Killed with one in flight, that one is either not yet handed
# over (sent once, later) or the only possible duplicate.
_ONE_IN_FLIGHT = threading.Lock()


def _fresh_lock_after_fork() -> None:
    # RQ runs each task in a forked child. Forked while the clock thread held
    # the lock, the child would inherit it held by a thread it does not have,
    # and its task would wait forever (and the worker's shutdown with it).
    global _ONE_IN_FLIGHT
    _ONE_IN_FLIGHT = threading.Lock()


os.register_at_fork(after_in_child=_fresh_lock_after_fork)


@task()
def deliver_email(email_id: int) -> str:
    """The worker's task for one outbox row (see deliver).

    It lives here, not in tasks.py, because a refused message enqueues it again
    from this module: tasks.py importing delivery and delivery importing tasks
    would be a cycle.
    """
    with _ONE_IN_FLIGHT:
        return deliver(email_id=email_id)


def deliver(*, email_id: int) -> str:
    """Try to deliver one queued message; return what happened.

    Does nothing ("skipped") unless the row is queued and due. Runs in the
    worker, outside any transaction: each step commits on its own.
    """
    email = _claim(OutboundEmail.objects.filter(pk=email_id))
    if email is None:
        return "skipped"
    return _deliver_claimed(email)


def deliver_due(*, limit: int = 100) -> list[str]:
    """Deliver the queued messages that are due, most overdue first; return outcomes.

    The worker's clock calls this every few seconds, so a due message goes out
    whether or not a queue task exists for it (a task lost with Redis, or a
    retry whose deferred task waits on a scheduler that died). Messages are
    claimed one at a time, each under its own lease, so workers running this
    together never send one message twice. Stops after `limit` messages.
    """
    outcomes: list[str] = []
    while len(outcomes) < limit:
        with _ONE_IN_FLIGHT:
            email = _claim(OutboundEmail.objects.all())
            if email is None:
                break
            outcomes.append(_deliver_claimed(email))
    return outcomes


def _claim(candidates: QuerySet[OutboundEmail]) -> OutboundEmail | None:
    """Move the first due queued row among `candidates` to sending, under a lease."""
    now = clock.now()
    with transaction.atomic():
        # On PostgreSQL workers polling together take different rows (SKIP
        # LOCKED); SQLite runs this block under its writer lock. The
        # conditional UPDATE is the claim on either.
        pk = (
            candidates.filter(status=Status.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            return None
        claimed = OutboundEmail.objects.filter(pk=pk, status=Status.QUEUED).update(
            status=Status.SENDING,
            attempts=F("attempts") + 1,
            lease_until=now + dt.timedelta(seconds=conf.lease_seconds()),
            handed_over_at=None,
        )
        if not claimed:
            return None
        return OutboundEmail.objects.filter(pk=pk).first()


def _deliver_claimed(email: OutboundEmail) -> str:
    mine = OutboundEmail.objects.filter(
        pk=email.pk, attempts=email.attempts, status=Status.SENDING
    )
    suppressed = Suppression.objects.filter(email=email.recipient)
    if suppressed.exists():
        mine.update(status=Status.SUPPRESSED, lease_until=None)
        return Status.SUPPRESSED

    def before_handover() -> bool:
        # Still ours, and not suppressed while the conversation ran. The lease
        # starts again so that waiting for the answer has a whole lease.
        now = clock.now()
        lease = dt.timedelta(seconds=conf.lease_seconds())
        return bool(
            mine.exclude(Exists(suppressed)).update(
                handed_over_at=now, lease_until=now + lease
            )
        )

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
        return _record_lost_answer(email, str(exc))
    except transport.TransportError as exc:
        return _record_failure(email, str(exc), temporary=exc.temporary)
    _record_sent(email)
    return Status.SENT


def _record_sent(email: OutboundEmail) -> None:
    attempt = OutboundEmail.objects.filter(pk=email.pk, attempts=email.attempts)
    done = {
        "status": Status.SENT,
        "sent_at": clock.now(),
        "lease_until": None,
        "last_error": "",
    }
    # The answer may come after the lease ran out and the sweeper acted.
    if attempt.filter(status__in=[Status.SENDING, Status.UNKNOWN]).update(**done):
        return
    # Taken back after the hand-over and not claimed since: the resend it
    # counted as a possible duplicate will not happen.
    attempt.filter(status=Status.QUEUED).update(
        **done, possible_duplicates=F("possible_duplicates") - 1
    )


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
    due = _retry_later(email, mine, error)
    logger.info("mail %s will be retried at %s: %s", email.pk, due, error)
    return Status.QUEUED


def _retry_later(
    email: OutboundEmail, mine: Any, error: str, **changes: Any
) -> dt.datetime:
    """Queue the claimed message again after its backoff; returns when it is due.

    `mine` is the row as this worker claimed it, so a row someone else took back
    meanwhile is left alone (and no task is enqueued for it).
    """
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
        **changes,
    ):
        _enqueue(email.pk, run_after=due)
    return due


def _record_lost_answer(email: OutboundEmail, error: str) -> str:
    """The end of the message went out and no answer came back.

    The server may hold the message or may not; a lost mail is worse than a
    second copy, so it is sent again (counted as a possible duplicate), except
    after the last attempt, when it stays "unknown" for an operator.
    """
    mine = OutboundEmail.objects.filter(
        pk=email.pk, attempts=email.attempts, status=Status.SENDING
    )
    if email.attempts >= conf.max_attempts():
        mine.update(status=Status.UNKNOWN, lease_until=None, last_error=error)
        logger.error("mail %s: delivery unknown (%s)", email.pk, error)
        return Status.UNKNOWN
    due = _retry_later(
        email, mine, error, possible_duplicates=F("possible_duplicates") + 1
    )
    logger.warning(
        "mail %s: answer lost, sending again at %s (%s)", email.pk, due, error
    )
    return Status.QUEUED


def sweep() -> SweepResult:
    """Recover messages whose worker vanished and enqueue due retries.

    A message whose lease ran out goes back to the queue, due at once. Before
    its hand-over the server cannot have accepted it ("requeued"); after it
    the server may hold it, and the resend is counted as a possible duplicate
    ("resent"), since a lost mail is worse than a second copy. On the last
    attempt the first kind fails and the second becomes "unknown". Due
    messages whose task is older than the grace period are enqueued again;
    the claim makes extra tasks harmless.
    """
    now = clock.now()
    expired = Q(status=Status.SENDING, lease_until__lt=now)
    before = Q(handed_over_at__isnull=True)
    last = Q(attempts__gte=conf.max_attempts())
    # A message that keeps killing its worker (or outliving its lease) stops.
    given_up = OutboundEmail.objects.filter(expired, before, last).update(
        status=Status.FAILED,
        lease_until=None,
        last_error="the worker stopped before handing the message over, every attempt",
    )
    unknown = OutboundEmail.objects.filter(expired, ~before, last).update(
        status=Status.UNKNOWN,
        lease_until=None,
        last_error="the worker stopped after handing the message over, last attempt",
    )
    back = list(
        OutboundEmail.objects.filter(expired).values_list("pk", flat=True)[:1000]
    )
    again = {
        "status": Status.QUEUED,
        "next_attempt_at": now,
        "enqueued_at": now,
        "lease_until": None,
    }
    requeued = OutboundEmail.objects.filter(expired, before, pk__in=back).update(
        **again, last_error="the worker stopped before handing the message over"
    )
    resent = OutboundEmail.objects.filter(expired, ~before, pk__in=back).update(
        **again,
        possible_duplicates=F("possible_duplicates") + 1,
        last_error="the worker stopped after handing the message over; sent again",
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
        requeued=requeued,
        unknown=unknown,
        enqueued=[*back, *due],
        failed=given_up,
        resent=resent,
    )


def enqueue_on_commit(email_id: int) -> None:
    """Enqueue the delivery task once the surrounding transaction commits."""
    transaction.on_commit(lambda: _enqueue(email_id))


def _enqueue(email_id: int, run_after: dt.datetime | None = None) -> None:
    delivery_task = deliver_email
    if run_after is not None and delivery_task.get_backend().supports_defer:
        delivery_task = delivery_task.using(run_after=run_after)
    try:
        delivery_task.enqueue(email_id)
    except Exception:
        # The row stays queued; the sweeper enqueues it again.
        logger.exception("could not enqueue mail %s", email_id)
