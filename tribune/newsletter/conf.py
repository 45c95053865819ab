"""Newsletter tunables with their defaults; operators override them in settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def rate_per_minute() -> int:
    # Newsletter messages handed to the outbox per minute, for the SMTP
    # provider's sending limit. Other mail (confirmations) is not counted.
    return max(1, int(_get("NEWSLETTER_RATE_PER_MINUTE", 600)))


def batch_size() -> int:
    # Messages one run of `newsletter_send` (every 5 s in the worker) may hand
    # over, and the most newsletter messages waiting in the outbox at once: a
    # confirmation mail queued during a send waits behind at most this many.
    # Unset: a twelfth of the per-minute rate, so a minute's runs spread it.
    configured = int(_get("NEWSLETTER_BATCH", 0))
    return configured if configured > 0 else max(1, rate_per_minute() // 12)


def confirm_days() -> int:
    # A sign-up's confirmation link works this long.
    return int(_get("NEWSLETTER_CONFIRM_DAYS", 7))


def confirm_interval_seconds() -> int:
    # At most one confirmation mail per address in this many seconds.
    return int(_get("NEWSLETTER_CONFIRM_INTERVAL", 3600))


def signups_per_ip_per_hour() -> int:
    # Sign-ups one client network may make in an hour; each can mail a stranger.
    return int(_get("NEWSLETTER_SIGNUPS_PER_IP_PER_HOUR", 10))


def digest_hour() -> int:
    # Local hour (TIME_ZONE) at which daily and weekly digests close their period.
    return int(_get("NEWSLETTER_DIGEST_HOUR", 7))


def weekly_digest_weekday() -> int:
    # Day the weekly digest goes out: 0 is Monday (Python's weekday()).
    return int(_get("NEWSLETTER_WEEKLY_WEEKDAY", 0))


def preferences_path() -> str:
    # The reader's own page, linked from every newsletter as "preferences".
    return str(_get("NEWSLETTER_PREFERENCES_PATH", "/me/"))


def base_url() -> str:
    # Links in mail are absolute; BASE_URL is the site's public address.
    return str(settings.WAGTAILADMIN_BASE_URL).rstrip("/")
