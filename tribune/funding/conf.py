"""Funding tunables with their defaults; operators override them in settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def cache_seconds() -> int:
    # How long the bar's figures are cached when an invalidation is missed (another
    # process's memory cache); with the 30 s page cache a reader never sees a
    # figure more than a minute old.
    return int(_get("FUNDING_CACHE_SECONDS", 30))


def default_currency() -> str:
    # Ledger currency when no campaign is running.
    return str(_get("FUNDING_CURRENCY", "USD")).upper()


def locale() -> str:
    # Empty: format amounts for the active language.
    return str(_get("FUNDING_LOCALE", ""))


def tick_fractions() -> list[Decimal]:
    # 0, half and the goal, as on the page the bar replaces.
    return [Decimal(str(f)) for f in _get("FUNDING_TICKS", ["0", "0.5", "1"])]


def stripe_secret_key() -> str:
    return str(_get("STRIPE_SECRET_KEY", ""))


def stripe_webhook_secret() -> str:
    return str(_get("STRIPE_WEBHOOK_SECRET", ""))


def stripe_tolerance() -> int:
    # Seconds a signed Stripe payload stays valid (the SDK's own default).
    return int(_get("FUNDING_STRIPE_TOLERANCE", 300))


def stripe_clock_skew() -> int:
    # Seconds a Stripe signature may be dated ahead of this server's clock.
    return int(_get("FUNDING_STRIPE_CLOCK_SKEW", 300))


def paypal_client_id() -> str:
    return str(_get("PAYPAL_CLIENT_ID", ""))


def paypal_client_secret() -> str:
    return str(_get("PAYPAL_CLIENT_SECRET", ""))


def paypal_webhook_id() -> str:
    return str(_get("PAYPAL_WEBHOOK_ID", ""))


def paypal_api_base() -> str:
    # The live API; the sandbox is https://api-m.sandbox.paypal.com.
    return str(_get("PAYPAL_API_BASE", "https://api-m.paypal.com")).rstrip("/")


def patreon_webhook_secret() -> str:
    return str(_get("PATREON_WEBHOOK_SECRET", ""))


def stripe_api_base() -> str:
    # Tests point this at a local server that plays Stripe.
    return str(_get("FUNDING_STRIPE_API_BASE", "https://api.stripe.com")).rstrip("/")


def max_minor_units() -> dict[str, int]:
    # The largest single amount per currency, in minor units ({"JPY": 20_000_000});
    # a currency not named gets 99,999,999 (Stripe's own ceiling, $999,999.99).
    limits = _get("FUNDING_MAX_MINOR_UNITS", {})
    return {str(code).upper(): int(value) for code, value in limits.items()}


# Each provider's fee as a percentage of the gross plus a fixed part in the
# ledger currency; "cover the fees" is offered for the providers named here.
# The defaults are Stripe's and PayPal's published standard rates for cards and
# donations in 2026; set FUNDING_FEES = {} to offer no fee cover.
DEFAULT_FEES = {
    "stripe": {"percent": "2.9", "fixed": "0.30"},
    "paypal": {"percent": "3.49", "fixed": "0.49"},
}


def fees() -> dict[str, tuple[Decimal, Decimal]]:
    """Per provider: (percent, fixed) as Decimals."""
    configured = _get("FUNDING_FEES", DEFAULT_FEES)
    return {
        str(name): (Decimal(str(rule["percent"])), Decimal(str(rule.get("fixed", 0))))
        for name, rule in configured.items()
    }


def receipt_max_age() -> int:
    # Seconds a signed receipt or statement link stays valid (default: 3 years,
    # long enough for a tax year and its filing).
    return int(_get("FUNDING_RECEIPT_MAX_AGE", 3 * 365 * 24 * 3600))


def base_url() -> str:
    # Links in mails are absolute, built from the site's public address.
    return str(_get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")).rstrip("/")


def organisation() -> str:
    # The name receipts are issued in (defaults to the site's name).
    return str(_get("FUNDING_RECEIPT_ISSUER", _get("SITE_NAME", "Tribune")))


def setup_help() -> bool:
    # Show every reader how to set up card payments (the demo turns it on; staff
    # always see it).
    return bool(_get("FUNDING_SETUP_HELP", False))
