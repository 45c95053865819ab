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


# What a badge needs of a comment: (comment id, the author's address, whether
# an account wrote it, the guest token that did): a plain tuple, so that a kept
# conversation can hold its authors (kept_conversations).
Authorship = tuple[int, str, bool, str]


def authorships(comments: Iterable[Comment]) -> list[Authorship]:
    """The authorship of each comment that could show a badge: with an
    address, and not deleted."""
    return [
        (c.pk, c.author_email, c.author_id is not None, c.guest_token)
        for c in comments
        if c.author_email and c.deleted_at is None
    ]


def _verified_pairs(guests: list[Authorship]) -> set[tuple[str, str]]:
    """The (guest token, address) pairs of these guest comments that were verified
    from that browser: one query."""
    pairs = {(token, email) for _, email, _, token in guests}
    match = Q(pk__in=[])
    for token, email in pairs:
        match |= Q(guest_token=token, email=email)
    return set(
        EmailVerification.objects.filter(match, verified_at__isnull=False)
        .values_list("guest_token", "email")
        .distinct()
    )


def _proved(authors: list[Authorship]) -> list[Authorship]:
    """Those whose address is proved: by an account, or verified from the
    browser that wrote it (one query, only when there are guests)."""
    guests = [a for a in authors if not a[2] and a[3]]
    verified = _verified_pairs(guests) if guests else set()
    return [a for a in authors if a[2] or (a[3], a[1]) in verified]


def badges_for(comments: Iterable[Comment]) -> dict[int, str]:
    """The badge of each comment whose proved author shows one, by comment id.

    No query when the page has no supporter's address (the lookup keeps its
    list cached); one more to check the guests' verifications when it has.
    """
    return badges_of(authorships(comments))


def badges_of(authors: list[Authorship]) -> dict[int, str]:
    """badges_for, by authorships."""
    lookup = _lookup()
    if lookup is None or not authors:
        return {}
    shown = lookup.shown_badges({a[1].lower() for a in authors})
    candidates = [a for a in authors if a[1].lower() in shown]
    return {a[0]: shown[a[1].lower()] for a in _proved(candidates)}


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
