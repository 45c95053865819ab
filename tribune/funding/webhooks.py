"""Provider webhooks: verify the signature over the raw body, apply the event once.

Routes, methods and the OpenAPI description are declared in api.py.
"""

from __future__ import annotations

import logging

import stripe
from django.http import HttpRequest, JsonResponse

from tribune.funding import money, services
from tribune.funding.providers import patreon, paypal
from tribune.funding.providers import stripe as stripe_provider

logger = logging.getLogger(__name__)


def error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def too_large(provider: str, event_id: object, exc: Exception) -> JsonResponse:
    """Refuse a signed event whose amount is beyond its currency's maximum.

    A 400 like any content the ledger cannot take: nothing is stored, the event
    is not marked processed, and the provider's bounded retries (Stripe and PayPal
    give up after three days) are each refused the same way. Logged as an error:
    a signed absurd amount means a misconfigured account or a leaked secret.
    """
    logger.error("%s event %s refused: %s", provider, event_id, exc)
    return error("amount_too_large", str(exc), 400)


def stripe_webhook(request: HttpRequest) -> JsonResponse:
    """Stripe events: 400 for a bad signature or content, else 200."""
    if not stripe_provider.is_configured():
        return error("not_configured", "Stripe is not configured.", 404)
    try:
        event = stripe_provider.verify(
            request.body, request.headers.get("Stripe-Signature", "")
        )
    except stripe.SignatureVerificationError:
        return error("bad_signature", "The Stripe-Signature does not match.", 400)
    except stripe_provider.PayloadError as exc:
        logger.warning("Malformed Stripe webhook: %s", exc)
        return error("malformed", str(exc), 400)
    try:
        outcome = stripe_provider.apply_event(event)
    except (services.AmountTooLargeError, money.AmountTooLargeError) as exc:
        return too_large("Stripe", event.get("id"), exc)
    except (
        stripe_provider.PayloadError,
        services.LedgerError,
        money.MoneyError,
    ) as exc:
        logger.warning("Stripe event %s not applied: %s", event.get("id"), exc)
        return error("malformed", str(exc), 400)
    except stripe_provider.RatePendingError as exc:
        # Stripe delivers the event again later (for up to three days); by then
        # the task has fetched the rate. Nothing is recorded until it is known.
        logger.info("Stripe event %s deferred: %s", event.get("id"), exc)
        return error("rate_pending", "The exchange rate is being fetched.", 503)
    return JsonResponse({"received": True, "outcome": outcome})


def paypal_webhook(request: HttpRequest) -> JsonResponse:
    """PayPal events, verified by asking PayPal; 503 when PayPal cannot be asked."""
    if not paypal.is_configured():
        return error("not_configured", "PayPal is not configured.", 404)
    try:
        event = paypal.verify(request.body, request.headers)
    except paypal.SignatureError as exc:
        return error("bad_signature", str(exc), 400)
    except paypal.PayloadError as exc:
        logger.warning("Malformed PayPal webhook: %s", exc)
        return error("malformed", str(exc), 400)
    except paypal.UnreachableError as exc:
        logger.error("PayPal verification failed: %s", exc)
        return error("unverified", "PayPal could not be asked; retry later.", 503)
    try:
        outcome = paypal.apply_event(event)
    except (services.AmountTooLargeError, money.AmountTooLargeError) as exc:
        return too_large("PayPal", event.get("id"), exc)
    except (paypal.PayloadError, services.LedgerError, money.MoneyError) as exc:
        logger.warning("PayPal event %s not applied: %s", event.get("id"), exc)
        return error("malformed", str(exc), 400)
    return JsonResponse({"received": True, "outcome": outcome})


def patreon_webhook(request: HttpRequest) -> JsonResponse:
    """Patreon member events signed with X-Patreon-Signature."""
    if not patreon.is_configured():
        return error("not_configured", "Patreon is not configured.", 404)
    try:
        body = patreon.verify(request.body, request.headers)
    except patreon.SignatureError as exc:
        return error("bad_signature", str(exc), 400)
    except patreon.PayloadError as exc:
        logger.warning("Malformed Patreon webhook: %s", exc)
        return error("malformed", str(exc), 400)
    event_type = request.headers.get("X-Patreon-Event", "")
    try:
        outcome = patreon.apply_event(event_type, body, request.body)
    except (services.AmountTooLargeError, money.AmountTooLargeError) as exc:
        return too_large("Patreon", event_type, exc)
    except (patreon.PayloadError, services.LedgerError, money.MoneyError) as exc:
        logger.warning("Patreon %s not applied: %s", event_type, exc)
        return error("malformed", str(exc), 400)
    return JsonResponse({"received": True, "outcome": outcome})
