"""Reads for one donor: their gifts, by the address they gave with.

The self-service page (/me/) lists gifts through `list_gifts_for_email`.
Figures are exact Decimals from the ledger; refunds come from its reversing
entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from tribune.funding import progress
from tribune.funding.models import Adjustment, Donation
from tribune.funding.selectors import readable_adjustments, readable_donations


@dataclass(frozen=True)
class Gift:
    """One ledger payment as its donor sees it.

    `receipt_url` and `manage` (how a monthly gift is changed or stopped) are
    empty until the receipts of issue 16 fill them.
    """

    id: int
    received_at: dt.datetime
    amount: Decimal
    currency: str
    method: str
    provider: str
    status: str
    refunded: Decimal
    recurring: bool
    covered_fee: Decimal | None
    transaction_id: str
    public_name: str
    email: str
    receipt_url: str
    manage: str


def list_gifts_for_email(email: str) -> list[Gift]:
    """Every ledger payment made with this address, newest first. Two queries."""
    if not email.strip():
        return []
    donations = list(
        readable_donations()
        .filter(email__iexact=email.strip())
        .order_by("-received_at", "-id")
    )
    entries: dict[tuple[str, str], list[progress.Reduction]] = {}
    for provider, txn, kind, amount in (
        readable_adjustments()
        .filter(transaction_id__in=[d.transaction_id for d in donations])
        .values_list("provider", "transaction_id", "kind", "amount")
    ):
        entries.setdefault((provider, txn), []).append(
            progress.Reduction(txn, kind, amount)
        )
    return [
        _gift(d, entries.get((d.provider, d.transaction_id), [])) for d in donations
    ]


def _gift(donation: Donation, entries: list[progress.Reduction]) -> Gift:
    return Gift(
        id=donation.pk,
        received_at=donation.received_at,
        amount=donation.original_amount,
        currency=donation.original_currency,
        method=donation.get_method_display(),
        provider=donation.provider,
        status=progress.payment_state(
            donation.payment_status, donation.original_amount, entries
        ),
        refunded=sum(
            (e.amount for e in entries if e.kind == Adjustment.Kind.REFUND),
            Decimal(0),
        ),
        recurring=donation.recurring,
        covered_fee=None,
        transaction_id=donation.transaction_id,
        public_name=donation.public_name,
        email=donation.email,
        receipt_url="",
        manage="",
    )
