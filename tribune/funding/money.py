"""Money on Decimals: minor units, conversion, formatting for a locale."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import parse_pattern

CENT = Decimal("0.01")

# Currencies Stripe and PayPal count in whole units (no minor unit).
# Source: https://docs.stripe.com/currencies#zero-decimal
ZERO_DECIMAL_CURRENCIES = frozenset(
    {
        "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
        "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    }
)  # fmt: skip


# The largest single amount, in minor units, unless a currency has its own: Stripe's
# own ceiling of eight digits ($999,999.99). Source:
# https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts
DEFAULT_MAX_MINOR_UNITS = 99_999_999

# What the ledger's columns hold (14 digits, 2 of them decimals): nothing larger
# is ever stored, whatever the settings say.
COLUMN_CEILING = Decimal("1000000000000")


class MoneyError(ValueError):
    """An amount or currency that cannot be used."""


class AmountTooLargeError(MoneyError):
    """An amount beyond the sane maximum of its currency."""


def exponent(currency: str) -> int:
    """How many decimal places the currency's minor unit has."""
    return 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2


def from_minor(amount: int, currency: str) -> Decimal:
    """Turn a provider's integer minor units (cents) into a Decimal amount."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise MoneyError(f"minor units must be an integer, not {amount!r}")
    value = Decimal(amount).scaleb(-exponent(currency))
    if abs(value) >= COLUMN_CEILING:
        # Checked before quantize, which fails on more digits than the context has.
        raise AmountTooLargeError(f"{amount} minor units of {currency} is too large")
    return value.quantize(CENT)


def to_minor(amount: Decimal, currency: str) -> int:
    """Turn a Decimal amount into integer minor units, refusing fractions of a cent."""
    scaled = amount.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise MoneyError(f"{amount} has more decimals than {currency} allows")
    return int(scaled)


_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]{1,2}")


def parse_amount(text: str) -> Decimal:
    """Read a positive amount like "25", "25.50" or "25,50"; reject anything else.

    A comma followed by one or two digits is a decimal comma, as readers in most
    of Europe write it; "1,000" stays an error rather than a guess.
    """
    raw = str(text).strip()
    if _DECIMAL_COMMA.fullmatch(raw):
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise MoneyError(f"{text!r} is not an amount") from None
    if not value.is_finite() or value <= 0:
        raise MoneyError(f"{text!r} is not a positive amount")
    if value >= COLUMN_CEILING:
        raise AmountTooLargeError(f"{text!r} is too large")
    if value != value.quantize(CENT):
        raise MoneyError(f"{text!r} has more than two decimals")
    return value.quantize(CENT)


def max_amount(currency: str, max_minor_units: Mapping[str, int]) -> Decimal:
    """The largest single amount accepted in the currency.

    `max_minor_units` maps currency codes to their maximum in minor units; a
    currency it does not name gets DEFAULT_MAX_MINOR_UNITS. Never above what the
    ledger's columns hold.
    """
    minor = max_minor_units.get(currency.upper(), DEFAULT_MAX_MINOR_UNITS)
    return min(Decimal(minor).scaleb(-exponent(currency)), COLUMN_CEILING - CENT)


def check_amount(
    amount: Decimal, currency: str, max_minor_units: Mapping[str, int]
) -> Decimal:
    """Return `amount` when it is at most the currency's maximum, else raise.

    Raises AmountTooLargeError, whose message names the maximum.
    """
    ceiling = max_amount(currency, max_minor_units)
    if not amount.is_finite() or amount > ceiling:
        raise AmountTooLargeError(
            f"{amount} {currency.upper()} is more than the maximum of "
            f"{ceiling} {currency.upper()} for one entry"
        )
    return amount


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """Convert at the given rate, rounding half to even to the cent."""
    if rate <= 0:
        raise MoneyError(f"exchange rate must be positive, not {rate}")
    converted = amount * rate
    if converted >= COLUMN_CEILING:
        raise AmountTooLargeError(f"{amount} at the rate {rate} is too large")
    return converted.quantize(CENT, rounding=ROUND_HALF_EVEN)


def _pattern_for(locale: str) -> tuple[Locale, Any]:
    try:
        babel_locale = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        babel_locale = Locale.parse("en")
    return babel_locale, parse_pattern(
        babel_locale.currency_formats["standard"].pattern
    )


def format_amount(amount: Decimal, currency: str, locale: str) -> str:
    """Format for the locale, whole amounts without decimals ("$1,800", "1.800 $")."""
    babel_locale, pattern = _pattern_for(locale)
    whole = amount == amount.to_integral_value()
    pattern.frac_prec = (0, 0) if whole else (2, 2)
    return pattern.apply(amount, babel_locale, currency=currency, currency_digits=False)


def format_exact(amount: Decimal, currency: str, locale: str) -> str:
    """Format for the locale with every minor unit ("$1,800.00", "1.800,00 $").

    For ledgers and reports, where cents matter and columns should line up.
    """
    babel_locale, pattern = _pattern_for(locale)
    digits = exponent(currency)
    pattern.frac_prec = (digits, digits)
    return pattern.apply(amount, babel_locale, currency=currency, currency_digits=False)
