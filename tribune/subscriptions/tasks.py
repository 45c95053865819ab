"""Background tasks of the subscriptions app; they call into notifications."""

from __future__ import annotations

from django_tasks import task

from tribune.subscriptions import notifications


@task()
def notify_comment(comment_id: int) -> int:
    """Tell subscribers about a visible comment (see notifications.notify_comment)."""
    return notifications.notify_comment(comment_id=comment_id)
