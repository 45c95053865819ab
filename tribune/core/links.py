"""Signed link tokens for mail (confirm, unsubscribe, manage): no database access.

Each app keeps its own salts and payloads; this module holds the reading both
need: a tampered or expired token becomes one `LinkError`.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing


class LinkError(ValueError):
    """A link that was tampered with, or has expired (`expired` tells which)."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def load(token: str, salt: str, max_age: dt.timedelta | None) -> dict[str, object]:
    """The dict a token was signed with under `salt`; LinkError if bad or old."""
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError(expired=True) from None
    except signing.BadSignature:
        raise LinkError(expired=False) from None
    if not isinstance(value, dict):
        raise LinkError(expired=False)
    return value


def email_of(value: dict[str, object]) -> str:
    """The address (key "e") a token's payload names; LinkError without one."""
    email = value.get("e")
    if not isinstance(email, str) or not email:
        raise LinkError(expired=False)
    return email
