"""Money on Decimals: minor units, conversion, formatting for a locale."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

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


class MoneyError(ValueError):
    """An amount or currency that cannot be used."""


def exponent(currency: str) -> int:
    """How many decimal places the currency's minor unit has."""
    return 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2


def from_minor(amount: int, currency: str) -> Decimal:
    """Turn a provider's integer minor units (cents) into a Decimal amount."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise MoneyError(f"minor units must be an integer, not {amount!r}")
    return Decimal(amount).scaleb(-exponent(currency)).quantize(CENT)


def to_minor(amount: Decimal, currency: str) -> int:
    """Turn a Decimal amount into integer minor units, refusing fractions of a cent."""
    scaled = amount.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise MoneyError(f"{amount} has more decimals than {currency} allows")
    return int(scaled)


def parse_amount(text: str) -> Decimal:
    """Read a positive amount like "25" or "25.50"; reject anything else."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise MoneyError(f"{text!r} is not an amount") from None
    if not value.is_finite() or value <= 0:
        raise MoneyError(f"{text!r} is not a positive amount")
    if value != value.quantize(CENT):
        raise MoneyError(f"{text!r} has more than two decimals")
    return value.quantize(CENT)


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """Convert at the given rate, rounding half to even to the cent."""
    if rate <= 0:
        raise MoneyError(f"exchange rate must be positive, not {rate}")
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


def format_amount(amount: Decimal, currency: str, locale: str) -> str:
    """Format for the locale, whole amounts without decimals ("$1,800", "1.800 $")."""
    try:
        babel_locale = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        babel_locale = Locale.parse("en")
    pattern = parse_pattern(babel_locale.currency_formats["standard"].pattern)
    whole = amount == amount.to_integral_value()
    pattern.frac_prec = (0, 0) if whole else (2, 2)
    return pattern.apply(amount, babel_locale, currency=currency, currency_digits=False)
