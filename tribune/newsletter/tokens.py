"""Signed tokens for the links in newsletter mail (no database access).

A sign-up's choices travel in its confirmation link, so an address nobody
confirmed leaves no row behind and a stranger cannot change a subscriber's
choices without the mailbox.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing

from tribune.core import links
from tribune.core.links import LinkError as LinkError  # re-exported

_CONFIRM = "tribune.newsletter.confirm"
_UNSUBSCRIBE = "tribune.newsletter.unsubscribe"


@dataclass(frozen=True)
class Choices:
    """What a sign-up asked for."""

    email: str
    everything: bool
    series_ids: tuple[int, ...]
    topic_ids: tuple[int, ...]
    frequency: str


def _ints(value: object) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(i, int) for i in value):
        raise LinkError(expired=False)
    return tuple(value)


def confirm_token(choices: Choices) -> str:
    """The token of a sign-up's confirmation link."""
    payload = {
        "e": choices.email,
        "a": int(choices.everything),
        "s": list(choices.series_ids),
        "t": list(choices.topic_ids),
        "f": choices.frequency,
    }
    return signing.dumps(payload, salt=_CONFIRM, compress=True)


def read_confirm_token(token: str, *, max_age: dt.timedelta) -> Choices:
    """The sign-up a confirmation token was made for; LinkError if bad or old."""
    value = links.load(token, _CONFIRM, max_age)
    frequency = value.get("f")
    if not isinstance(frequency, str):
        raise LinkError(expired=False)
    return Choices(
        email=links.email_of(value),
        everything=bool(value.get("a")),
        series_ids=_ints(value.get("s", [])),
        topic_ids=_ints(value.get("t", [])),
        frequency=frequency,
    )


def unsubscribe_token(email: str) -> str:
    """The token of a one-click unsubscribe link. It does not expire: RFC 8058
    receivers may POST to it long after the mail arrived."""
    return signing.dumps({"e": email}, salt=_UNSUBSCRIBE)


def read_unsubscribe_token(token: str) -> str:
    """The address an unsubscribe token names; LinkError if tampered with."""
    return links.email_of(links.load(token, _UNSUBSCRIBE, None))
