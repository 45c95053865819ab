"""Self-service tunables with their defaults (settings SELFSERVICE_*)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

_DEFAULTS: dict[str, Any] = {
    # Minutes a mailed link to "Your page" works (issue 16: within the hour).
    "LINK_MINUTES": 60,
    # Links mailed to one address per hour, and asked for by one network
    # (IPv4 address or IPv6 /64) per hour: enough for a typo and a retry, too
    # few to flood a stranger's inbox.
    "LINKS_PER_ADDRESS_PER_HOUR": 3,
    "LINKS_PER_IP_PER_HOUR": 10,
    # Days an erasure can be undone before the worker purges what undoing needs.
    "UNDO_DAYS": 7,
}


def get(name: str) -> Any:
    """The value of SELFSERVICE_<name> from settings, or its default."""
    return getattr(settings, f"SELFSERVICE_{name}", _DEFAULTS[name])
