"""Signed tokens for the links in subscription mail (no database access)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing

from tribune.core import links
from tribune.core.links import LinkError as LinkError  # re-exported

_CONFIRM = "tribune.subscriptions.confirm"
_UNSUBSCRIBE = "tribune.subscriptions.unsubscribe"
_MANAGE = "tribune.subscriptions.manage"

_load = links.load
_email = links.email_of


def confirm_token(email: str) -> str:
    """The token of a confirmation link for every pending subscription of `email`."""
    return signing.dumps({"e": email}, salt=_CONFIRM)


def read_confirm_token(token: str, *, max_age: dt.timedelta) -> str:
    """The address a confirmation token was made for; LinkError if bad or old."""
    return _email(_load(token, _CONFIRM, max_age))


def manage_token(email: str) -> str:
    """The token of the "manage my subscriptions" link of `email`."""
    return signing.dumps({"e": email}, salt=_MANAGE)


def read_manage_token(token: str, *, max_age: dt.timedelta) -> str:
    """The address a manage token was made for; LinkError if bad or old."""
    return _email(_load(token, _MANAGE, max_age))


@dataclass(frozen=True)
class Unsubscribe:
    """What a one-click unsubscribe link removes: some subscriptions, or the
    address's daily digest."""

    email: str
    subscription_ids: tuple[int, ...] = ()
    digest: bool = False


def unsubscribe_token(
    email: str, *, subscription_ids: tuple[int, ...] = (), digest: bool = False
) -> str:
    """The token of a one-click unsubscribe link. It does not expire: RFC 8058
    receivers may POST to it long after the mail arrived."""
    payload: dict[str, object] = {"e": email, "s": list(subscription_ids)}
    if digest:
        payload["d"] = 1
    return signing.dumps(payload, salt=_UNSUBSCRIBE, compress=True)


def read_unsubscribe_token(token: str) -> Unsubscribe:
    """What an unsubscribe token asks for; LinkError if it was tampered with."""
    value = _load(token, _UNSUBSCRIBE, None)
    ids = value.get("s", [])
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise LinkError(expired=False)
    return Unsubscribe(
        email=_email(value), subscription_ids=tuple(ids), digest=bool(value.get("d"))
    )
