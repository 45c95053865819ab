"""Reads of one donor's gifts, by the address they gave with, for "Your page"."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from tribune.funding.models import Adjustment, Donation
from tribune.funding.selectors import (
    ledger_states,
    readable_adjustments,
    readable_donations,
)


@dataclass(frozen=True)
class Gift:
    """One ledger payment of the donor, its display state and its reversing entries."""

    donation: Donation
    state: str
    adjustments: tuple[Adjustment, ...]


def list_gifts(*, email: str) -> list[Gift]:
    """Every ledger payment made with the address, newest first, with refunds
    and disputes.  Three queries, whatever the number of gifts."""
    address = email.strip()
    if not address:
        return []
    donations = list(
        readable_donations()
        .filter(email__iexact=address)
        .select_related("wall_message")
        .order_by("-received_at", "-id")
    )
    if not donations:
        return []
    entries: dict[tuple[str, str], list[Adjustment]] = {}
    wanted = Q()
    for donation in donations:
        wanted |= Q(provider=donation.provider, transaction_id=donation.transaction_id)
    for entry in readable_adjustments().filter(wanted).order_by("occurred_at", "id"):
        entries.setdefault((entry.provider, entry.transaction_id), []).append(entry)
    states = ledger_states(donations)
    return [
        Gift(
            donation=d,
            state=states[d.pk],
            adjustments=tuple(entries.get((d.provider, d.transaction_id), [])),
        )
        for d in donations
    ]
