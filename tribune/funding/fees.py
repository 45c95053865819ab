"""Fee arithmetic for "cover the fees": pure functions over Decimals.

A provider charges `percent` of the gross plus a `fixed` part. Covering the fee
means adding the smallest amount after which the net is at least the gift.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class FeeRule:
    """A provider's fee: `percent` of the gross plus `fixed`, in the gift's currency."""

    percent: Decimal
    fixed: Decimal

    def __post_init__(self) -> None:
        if not (0 <= self.percent < HUNDRED) or self.fixed < 0:
            raise ValueError("a fee is 0 to 100 percent plus a fixed part >= 0")


def _step(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def fee_for(gross: Decimal, rule: FeeRule, *, places: int = 2) -> Decimal:
    """The fee the provider takes from `gross`, rounded to the currency's unit."""
    raw = gross * rule.percent / HUNDRED + rule.fixed
    return raw.quantize(_step(places), rounding=ROUND_HALF_UP)


def cover_for(gift: Decimal, rule: FeeRule, *, places: int = 2) -> Decimal:
    """The smallest addition after which gross minus fee is at least `gift`."""
    step = _step(places)
    gross = ((gift + rule.fixed) / (1 - rule.percent / HUNDRED)).quantize(
        step, rounding=ROUND_CEILING
    )
    # Rounding the fee half up may leave the net a unit short; step up until not.
    while gross - fee_for(gross, rule, places=places) < gift:
        gross += step
    # And never more than needed.
    while gross - step - fee_for(gross - step, rule, places=places) >= gift:
        gross -= step
    return gross - gift


def net_of(gross: Decimal, fee: Decimal | None) -> Decimal | None:
    """What the site keeps; None when the fee is unknown."""
    return None if fee is None else gross - fee
