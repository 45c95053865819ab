"""Subscriptions tunables with their defaults; operators override them in settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def confirm_days() -> int:
    # A confirmation link works this long; unconfirmed subscriptions are then
    # deleted, so an address typed by a stranger is forgotten within a week.
    return int(_get("SUBSCRIPTIONS_CONFIRM_DAYS", 7))


def confirm_interval_seconds() -> int:
    # At most one confirmation mail per address in this many seconds, whatever
    # is requested (the "one per hour").
    return int(_get("SUBSCRIPTIONS_CONFIRM_INTERVAL", 3600))


def requests_per_ip_per_hour() -> int:
    # Subscribe and "email me my link" requests one client address may make
    # in an hour; each can mail a stranger, so the limit stays low.
    return int(_get("SUBSCRIPTIONS_REQUESTS_PER_IP_PER_HOUR", 10))


def manage_link_days() -> int:
    # The "manage my subscriptions" link in every mail works this long.
    return int(_get("SUBSCRIPTIONS_MANAGE_LINK_DAYS", 90))


def digest_hour() -> int:
    # Local hour (TIME_ZONE) from which the day's digests go out.
    return int(_get("SUBSCRIPTIONS_DIGEST_HOUR", 7))


def base_url() -> str:
    # Links in mail are absolute; BASE_URL is the site's public address.
    return str(settings.WAGTAILADMIN_BASE_URL).rstrip("/")
