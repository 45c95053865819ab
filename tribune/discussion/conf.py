"""Discussion tunables with their defaults, read from Django settings (DISCUSSION_*)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

_DEFAULTS: dict[str, Any] = {
    # Levels of visible nesting; deeper replies attach at the last level (wpDiscuz: 5).
    "MAX_DEPTH": 5,
    # Top-level comments on the first page; each comes with all its replies.
    "PAGE_SIZE": 30,
    # More replies than this under a top-level comment fold behind "View N replies".
    "COLLAPSE_AFTER": 4,
    # Minutes an author may edit or delete a comment after posting it.
    "EDIT_WINDOW_MINUTES": 15,
    # Characters allowed in a comment body (about two printed pages).
    "MAX_LENGTH": 5000,
    # Seconds a human needs at least between seeing the form and sending it.
    "MIN_FILL_SECONDS": 3,
    # Hours a rendered form stays valid; older ones must be reloaded, so one
    # harvested form token cannot feed a bot for a day.
    "FORM_MAX_AGE_HOURS": 2,
    # Comments per client IP per minute, and per email address per hour.
    "RATE_PER_IP_PER_MINUTE": 5,
    "RATE_PER_EMAIL_PER_HOUR": 20,
    # Name of the signed cookie that identifies a guest's browser.
    "GUEST_COOKIE": "tribune_guest",
    # Name of the cookie remembering the reader's sort order.
    "SORT_COOKIE": "tribune_comment_sort",
    # Folder of labelled CSV files the spam model starts from (None: the corpus
    # shipped in discussion/data/youtube-spam; "": none, moderators' decisions only).
    "SPAM_SEED_DIR": None,
    # New moderator decisions (approve/spam) after which the worker retrains.
    "SPAM_RETRAIN_AFTER": 20,
    # Share of good comments allowed at or above the "likely spam" threshold
    # (issue 14: <= 1% of good comments filed as spam), and above "possible".
    "SPAM_MAX_FPR": 0.01,
    "SPAM_HOLD_FPR": 0.05,
}


# Values read, by name: settings do not change while a process runs, but for
# override_settings in tests, which announces each change (setting_changed).
# A lookup through Django's lazy settings raises and catches AttributeErrors
# (two or three for a setting left to its default); a post asks about ten.
_read: dict[str, Any] = {}


def get(name: str) -> Any:
    """The value of DISCUSSION_<name> from settings, or its default."""
    try:
        return _read[name]
    except KeyError:
        value = _read[name] = getattr(settings, f"DISCUSSION_{name}", _DEFAULTS[name])
        return value


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("DISCUSSION_"):
        _read.clear()


setting_changed.connect(_forget, dispatch_uid="tribune-discussion-conf")
