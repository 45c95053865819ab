"""Background tasks of funding: what a webhook request must not wait for."""

from __future__ import annotations

from django_tasks import task

from tribune.funding.providers import stripe_api


@task()
def fetch_stripe_rate(
    *, payment_intent: str = "", balance_transaction: str = ""
) -> str:
    """Remember a payment's settlement rate (see stripe_api.fetch_exchange_rate)."""
    stripe_api.fetch_exchange_rate(
        payment_intent=payment_intent, balance_transaction=balance_transaction
    )
    return "fetched"
