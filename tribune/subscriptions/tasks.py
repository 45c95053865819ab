"""Background tasks of the subscriptions app.

`notify_comment` is defined in announcements.py (which enqueues it) and named
here too, so jobs queued under this module's path before it moved still run.
"""

from __future__ import annotations

from tribune.subscriptions.announcements import notify_comment

__all__ = ["notify_comment"]
