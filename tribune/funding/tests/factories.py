"""Factories for funding: campaigns and ledger rows go through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from tribune.core import clock
from tribune.funding import services
from tribune.funding.models import Campaign, Donation

_counter = itertools.count(1)


def campaign(**fields: Any) -> Campaign:
    """A monthly campaign with a 5,000 USD goal that started long ago."""
    return services.create_campaign(
        title=fields.pop("title", "Reader support"),
        goal=fields.pop("goal", Decimal("5000")),
        starts_on=fields.pop("starts_on", dt.date(2020, 1, 1)),
        currency=fields.pop("currency", "USD"),
        **fields,
    )


def donation(amount: str | Decimal = "25", **fields: Any) -> Donation:
    """A succeeded manual donation received now, unless told otherwise."""
    return services.record_donation(
        provider=fields.pop("provider", "manual"),
        transaction_id=fields.pop("transaction_id", f"txn-{next(_counter)}"),
        amount=Decimal(amount),
        currency=fields.pop("currency", "USD"),
        received_at=fields.pop("received_at", None) or clock.now(),
        **fields,
    )
