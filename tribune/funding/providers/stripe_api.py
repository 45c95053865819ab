"""Stripe's API, asked by us: Checkout Sessions, the customer portal, exchange rates.

Events Stripe sends us are in stripe.py; this module never imports it, so the
task that fetches a rate (tasks.py) and the event handlers do not import each other.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import stripe
from django.core.cache import cache

from tribune.funding import conf, money


class UnreachableError(RuntimeError):
    """Stripe's API could not be asked; the delivery should be retried."""


# Stripe retries an event for up to three days; a rate fetched for it is kept
# as long. Source: https://docs.stripe.com/webhooks#retries
RATE_CACHE_SECONDS = 3 * 24 * 3600


def client() -> stripe.StripeClient:
    """A Stripe client with the configured key (and API base, for tests)."""
    return stripe.StripeClient(
        conf.stripe_secret_key(),
        base_addresses={"api": conf.stripe_api_base()},
        max_network_retries=1,
    )


def _line(name: str, amount: Decimal, currency: str, recurring: bool) -> dict[str, Any]:
    price_data: dict[str, Any] = {
        "currency": currency.lower(),
        "unit_amount": money.to_minor(amount, currency),
        "product_data": {"name": name},
    }
    if recurring:
        price_data["recurring"] = {"interval": "month"}
    return {"price_data": price_data, "quantity": 1}


def create_checkout_session(
    *,
    amount: Decimal,
    currency: str,
    recurring: bool,
    success_url: str,
    cancel_url: str,
    metadata: dict[str, str],
    cover_fee: Decimal = Decimal(0),
) -> str:
    """Open a Checkout Session for a one-off or monthly donation; returns its URL.

    A fee the donor covers is a second line, so Stripe's page shows it (and the
    total) before the donor pays; the metadata carries it to the ledger.
    """
    lines = [_line("Donation", amount, currency, recurring)]
    if cover_fee > 0:
        lines.append(_line("Covering the fees", cover_fee, currency, recurring))
        metadata = {**metadata, "cover_fee": str(cover_fee)}
    params: dict[str, Any] = {
        "mode": "subscription" if recurring else "payment",
        "line_items": lines,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "metadata": metadata,
    }
    if recurring:
        params["subscription_data"] = {"metadata": metadata}
    else:
        params["submit_type"] = "donate"
        params["payment_intent_data"] = {"metadata": metadata}
    session = client().v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]
    return str(session.url)


def create_portal_session(*, customer: str, return_url: str) -> str:
    """Open Stripe's customer portal for a donor (update the card, stop the gift).

    Raises stripe.StripeError when Stripe refuses or cannot be reached.
    """
    session = client().v1.billing_portal.sessions.create(
        params={"customer": customer, "return_url": return_url}
    )
    return str(session.url)


def rate_key(reference: str) -> str:
    return f"funding:stripe-rate:{reference}"


def fetch_exchange_rate(
    *, payment_intent: str = "", balance_transaction: str = ""
) -> None:
    """Ask Stripe for a payment's balance transaction and remember its rate.

    Runs in a task, never in a webhook request. Raises UnreachableError when
    Stripe cannot be asked; the event's next delivery enqueues a new attempt.
    """
    try:
        if balance_transaction:
            balance: Any = client().v1.balance_transactions.retrieve(
                balance_transaction
            )
        else:
            intent = client().v1.payment_intents.retrieve(
                payment_intent, params={"expand": ["latest_charge.balance_transaction"]}
            )
            balance = intent["latest_charge"]["balance_transaction"]
        found = {
            "currency": str(balance["currency"]),
            "exchange_rate": str(balance["exchange_rate"]),
        }
    except stripe.StripeError as exc:
        raise UnreachableError(
            f"Stripe did not give the exchange rate: {exc}"
        ) from None
    except (KeyError, TypeError):
        found = {"currency": "", "exchange_rate": ""}
    cache.set(
        rate_key(balance_transaction or payment_intent),
        found,
        RATE_CACHE_SECONDS,
    )
