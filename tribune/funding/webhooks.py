"""Provider webhooks: verify the signature over the raw body, apply the event once."""

from __future__ import annotations

import logging

import stripe
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tribune.funding import money, services
from tribune.funding.providers import stripe as stripe_provider

logger = logging.getLogger(__name__)


def error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@csrf_exempt
@require_POST
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
    except (
        stripe_provider.PayloadError,
        services.LedgerError,
        money.MoneyError,
    ) as exc:
        logger.warning("Stripe event %s not applied: %s", event.get("id"), exc)
        return error("malformed", str(exc), 400)
    return JsonResponse({"received": True, "outcome": outcome})
