"""Background tasks of the mailing app; they call into delivery and return a word."""

from __future__ import annotations

from django_tasks import task

from tribune.mailing import delivery


@task()
def deliver_email(email_id: int) -> str:
    """Deliver one outbox row (see delivery.deliver)."""
    return delivery.deliver(email_id=email_id)


@task()
def sweep_outbox() -> dict[str, int]:
    """Recover stuck rows and enqueue due retries (see delivery.sweep)."""
    result = delivery.sweep()
    return {
        "requeued": result.requeued,
        "resent": result.resent,
        "unknown": result.unknown,
        "failed": result.failed,
        "enqueued": len(result.enqueued),
    }
