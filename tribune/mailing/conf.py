"""Mailing tunables with their defaults; operators override them in settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def max_attempts() -> int:
    # With the default backoff, 10 attempts span about two hours: long enough
    # to ride out a relay restart, short enough that a stale notice is dropped.
    return int(_get("MAILING_MAX_ATTEMPTS", 10))


def backoff_base_seconds() -> int:
    # Delay before the first retry; it doubles with every further failure.
    return int(_get("MAILING_BACKOFF_BASE", 60))


def backoff_cap_seconds() -> int:
    # No retry waits longer than this.
    return int(_get("MAILING_BACKOFF_CAP", 1800))


def lease_seconds() -> int:
    # How long a worker may hold a message before the sweeper takes it back:
    # what mail from a killed worker waits. A conversation that outlives it is
    # not lost: the worker's hand-over check fails and the server drops the
    # message, which is then sent again. Renewed at the hand-over.
    return int(_get("MAILING_LEASE_SECONDS", 120))


def requeue_grace_seconds() -> int:
    # A due message whose task was enqueued less than this long ago is left to
    # that task; older ones are enqueued again (the claim makes extras no-ops).
    return int(_get("MAILING_REQUEUE_GRACE", 120))


def message_id_domain() -> str:
    # Right-hand side of Message-IDs; the sender's domain when unset.
    domain = str(_get("MAILING_MESSAGE_ID_DOMAIN", ""))
    if domain:
        return domain
    sender = str(_get("DEFAULT_FROM_EMAIL", "newsroom@localhost"))
    return sender.rpartition("@")[2].strip("> ") or "localhost"


def your_page_url() -> str:
    # Every mail ends with a link to the reader's own page ("Your page", the
    # self-service app at /me/); "" leaves the footer out.
    path = str(_get("MAILING_YOUR_PAGE_PATH", "/me/"))
    if not path:
        return ""
    base = str(_get("WAGTAILADMIN_BASE_URL", "")).rstrip("/")
    return f"{base}{path}"
