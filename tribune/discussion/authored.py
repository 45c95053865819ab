"""Reads of what one person wrote or did in the discussion, for "Your page".

A person is a verified email address, an account, or both; their browsers'
guest tokens are found through the comments they wrote.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from tribune.discussion.models import Comment, Report, Vote


def _authored(email: str, user_id: int | None) -> Q:
    # Addresses are stored lower-cased, so the indexed exact match suffices. An
    # account's comments go with its address only while the account is active
    # (confirmed); its own comments are found through `user_id` as well.
    address = email.strip().lower()
    query = (
        Q(author_email=address) & (Q(author__isnull=True) | Q(author__is_active=True))
        if address
        else Q(pk__in=[])
    )
    if user_id is not None:
        query |= Q(author_id=user_id)
    return query


def account_with_address(email: str) -> Any | None:
    """The one confirmed (active) account whose address is `email`, whatever
    its case, or None (no account, unconfirmed, or several share it)."""
    address = email.strip()
    if not address:
        return None
    found = list(
        get_user_model()
        .objects.filter(email__iexact=address, is_active=True)
        .only("pk", "email", "is_staff", "is_superuser")[:2]
    )
    return found[0] if len(found) == 1 else None


def list_authored_comments(*, email: str, user_id: int | None) -> QuerySet[Comment]:
    """Every comment written with the address or by the account, newest first,
    with its report's page loaded (one query)."""
    return (
        Comment.objects.filter(_authored(email, user_id))
        .select_related("thread__page")
        .order_by("-created_at", "-pk")
    )


def get_authored_comment(
    *, comment_id: int, email: str, user_id: int | None
) -> Comment | None:
    """The comment if the person wrote it, else None (someone else's, or none)."""
    return (
        Comment.objects.filter(_authored(email, user_id), pk=comment_id)
        .select_related("thread__page")
        .first()
    )


def voter_keys(*, email: str, user_id: int | None) -> list[str]:
    """The vote and report identities of the person: the account's and those
    of every browser that wrote one of their comments."""
    tokens = (
        Comment.objects.filter(_authored(email, user_id))
        .exclude(guest_token="")
        .values_list("guest_token", flat=True)
        .distinct()
    )
    keys = [f"g:{token}" for token in tokens]
    if user_id is not None:
        keys.append(f"u:{user_id}")
    return keys


def list_votes(*, keys: list[str]) -> QuerySet[Vote]:
    """The votes cast under these identities, oldest first."""
    return Vote.objects.filter(voter__in=keys).order_by("created_at", "pk")


def list_reports(*, keys: list[str]) -> QuerySet[Report]:
    """The reports made under these identities, oldest first."""
    return Report.objects.filter(reporter__in=keys).order_by("created_at", "pk")


def count_addresses_older_than(*, cutoff: dt.datetime) -> int:
    """How many comments still keep the poster's IP address past `cutoff`."""
    return Comment.objects.filter(
        created_at__lt=cutoff, ip_address__isnull=False
    ).count()
