"""Who "Your page" is for: a verified address, kept in the session, or the
signed-in account's own address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from tribune.discussion import authored
from tribune.mailing.addresses import normalize_address

SESSION_KEY = "selfservice.email"


@dataclass(frozen=True)
class Person:
    """A reader who proved an address; `user_id` when it is their account's too."""

    email: str
    user_id: int | None = None
    is_staff: bool = False


def remember(request: HttpRequest, email: str) -> None:
    """Store the address a link proved; a new session key, so a session id
    seen before the link was opened does not carry the proof (fixation)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = normalize_address(email)


def forget(request: HttpRequest) -> None:
    """Drop the proved address from the session (the account stays signed in)."""
    request.session.pop(SESSION_KEY, None)


def person_for(request: HttpRequest) -> Person | None:
    """The reader the page is for, or None when nothing is proved yet.

    The account counts when the proved address is its own (in any case, and
    confirmed), or when no address was proved and the account has one.
    """
    proved = request.session.get(SESSION_KEY, "") if hasattr(request, "session") else ""
    user: Any = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    own = normalize_address(user.email) if signed_in and user.email else ""
    if proved:
        # The account of the proved address counts too, when it is confirmed:
        # the signed-in one, or the one whose address differs only in case.
        account = user if signed_in and own == proved else None
        if account is None:
            account = authored.account_with_address(proved)
        return Person(
            email=proved,
            user_id=account.pk if account is not None else None,
            is_staff=bool(
                account is not None and (account.is_staff or account.is_superuser)
            ),
        )
    if own:
        return Person(
            email=own, user_id=user.pk, is_staff=user.is_staff or user.is_superuser
        )
    return None
