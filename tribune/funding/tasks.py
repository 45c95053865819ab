"""Background tasks of funding: what a webhook request must not wait for."""

from __future__ import annotations

from django_tasks import task

from tribune.funding.providers import stripe


@task()
def fetch_stripe_rate(
    *, payment_intent: str = "", balance_transaction: str = ""
) -> str:
    """Remember a payment's settlement rate (see stripe.fetch_exchange_rate)."""
    stripe.fetch_exchange_rate(
        payment_intent=payment_intent, balance_transaction=balance_transaction
    )
    return "fetched"
