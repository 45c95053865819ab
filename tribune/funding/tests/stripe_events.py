"""Signed Stripe events for tests, built with the SDK's signature scheme."""

from __future__ import annotations

import itertools
import json
from typing import Any

import stripe

SECRET = "whsec_test_only"
_ids = itertools.count(1)
CREATED = 1795000000  # 2026-11-18 11:06:40 UTC


def event(kind: str, obj: dict[str, Any], created: int = CREATED) -> dict[str, Any]:
    return {
        "id": f"evt_{next(_ids)}",
        "object": "event",
        "type": kind,
        "created": created,
        "livemode": False,
        "data": {"object": obj},
    }


def checkout_completed(
    pi: str, cents: int, *, paid: str = "paid", metadata: dict | None = None, **extra
) -> dict[str, Any]:
    return event(
        extra.pop("kind", "checkout.session.completed"),
        {
            "id": f"cs_{pi}",
            "object": "checkout.session",
            "mode": "payment",
            "payment_intent": pi,
            "payment_status": paid,
            "amount_total": cents,
            "currency": "usd",
            "metadata": metadata or {},
            "customer_details": {"email": "reader@example.org"},
        },
        **extra,
    )


def invoice_paid(
    invoice: str, pi: str, cents: int, metadata: dict | None = None
) -> dict[str, Any]:
    return event(
        "invoice.paid",
        {
            "id": invoice,
            "object": "invoice",
            "amount_paid": cents,
            "currency": "usd",
            "customer_email": "monthly@example.org",
            "payments": {"data": [{"payment": {"payment_intent": pi}}]},
            "parent": {"subscription_details": {"metadata": metadata or {}}},
        },
    )


def charge_refunded(pi: str, cents: int, refunded: int) -> dict[str, Any]:
    return event(
        "charge.refunded",
        {
            "id": f"ch_{pi}",
            "object": "charge",
            "payment_intent": pi,
            "amount": cents,
            "amount_refunded": refunded,
            "currency": "usd",
            "created": CREATED - 60,
        },
    )


def dispute(
    pi: str, cents: int, *, closed: str | None = None, dispute_id: str = ""
) -> dict[str, Any]:
    return event(
        "charge.dispute.closed" if closed else "charge.dispute.created",
        {
            "id": dispute_id or f"du_{pi}",
            "object": "dispute",
            "charge": f"ch_{pi}",
            "payment_intent": pi,
            "amount": cents,
            "currency": "usd",
            "status": closed or "needs_response",
        },
    )


def signed(
    payload: dict[str, Any] | str, secret: str = SECRET, timestamp: int | None = None
) -> tuple[bytes, str]:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp)
    return body.encode(), header


def deliver(client: Any, payload: dict[str, Any] | str, **kwargs: Any) -> Any:
    body, header = signed(payload, **kwargs)
    return client.post(
        "/support/webhooks/stripe/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
