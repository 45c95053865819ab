"""Background tasks of the mailing app; they call into delivery and return a word.

`deliver_email` is defined in delivery.py (it enqueues itself for a retry) and
named here too, so jobs queued under this module's path before it moved still run.
"""

from __future__ import annotations

from django_tasks import task

from tribune.mailing import delivery
from tribune.mailing.delivery import deliver_email

__all__ = ["deliver_email", "sweep_outbox"]


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
