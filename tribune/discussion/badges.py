"""Supporter badges beside commenters' names, from whoever knows the supporters.

The discussion does not know who supports the newsroom: the funding ledger does,
and discussion may not import it (decision 0022). An app above both registers a
`SupporterLookup` here in its `ready()`; without one no comment has a badge.

A badge is earned by a proved identity only: an account's address, or a guest's
address verified from the browser that wrote the comment. An address typed into
the form proves nothing, so it never shows a badge nor skips a hold.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Protocol

from django.db.models import Q

from tribune.discussion.models import Comment, EmailVerification

SUPPORTER = "supporter"
MONTHLY = "monthly"


class SupporterLookup(Protocol):
    """What the discussion asks about supporters, by lower-cased address."""

    def shown_badges(self, emails: Collection[str]) -> dict[str, str]:
        """The badge (SUPPORTER or MONTHLY) of each address whose donor shows one."""
        ...

    def is_supporter(self, email: str) -> bool:
        """Whether the address gave, whether or not the donor shows a badge."""
        ...


_lookups: list[SupporterLookup] = []


def register(lookup: SupporterLookup) -> None:
    """Make `lookup` the one source of badges (the last registered wins)."""
    _lookups[:] = [lookup]


def _lookup() -> SupporterLookup | None:
    return _lookups[0] if _lookups else None


def _verified_pairs(comments: list[Comment]) -> set[tuple[str, str]]:
    """The (guest token, address) pairs of these guest comments that were verified
    from that browser: one query."""
    pairs = {(c.guest_token, c.author_email) for c in comments}
    match = Q(pk__in=[])
    for token, email in pairs:
        match |= Q(guest_token=token, email=email)
    return set(
        EmailVerification.objects.filter(match, verified_at__isnull=False)
        .values_list("guest_token", "email")
        .distinct()
    )


def _proved(comments: list[Comment]) -> list[Comment]:
    """Those comments whose address is proved: by an account, or verified from
    the browser that wrote it (one query, only when there are guests)."""
    guests = [c for c in comments if c.author_id is None and c.guest_token]
    verified = _verified_pairs(guests) if guests else set()
    return [
        c
        for c in comments
        if c.author_id is not None or (c.guest_token, c.author_email) in verified
    ]


def badges_for(comments: Iterable[Comment]) -> dict[int, str]:
    """The badge of each comment whose proved author shows one, by comment id.

    No query when the page has no supporter's address (the lookup keeps its
    list cached); one more to check the guests' verifications when it has.
    """
    lookup = _lookup()
    candidates = [c for c in comments if c.author_email and c.deleted_at is None]
    if lookup is None or not candidates:
        return {}
    shown = lookup.shown_badges({c.author_email.lower() for c in candidates})
    candidates = [c for c in candidates if c.author_email.lower() in shown]
    return {c.pk: shown[c.author_email.lower()] for c in _proved(candidates)}


def is_proved_supporter(*, has_account: bool, guest_token: str, email: str) -> bool:
    """Whether the author is a supporter by a proved address: an account's, or
    a guest's verified from this browser (whether or not a badge is shown)."""
    lookup = _lookup()
    if lookup is None or not email or not lookup.is_supporter(email.lower()):
        return False
    return has_account or (
        bool(guest_token)
        and EmailVerification.objects.filter(
            guest_token=guest_token, email=email, verified_at__isnull=False
        ).exists()
    )
