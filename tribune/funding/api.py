"""JSON endpoints of funding under /support/: the goal bar's figures for scripts and
other sites, and the payment providers' webhooks (their logic is in webhooks.py).

The OpenAPI document at /support/openapi.json is generated from these declarations.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from pydantic import BaseModel, Field

from tribune.core import clock
from tribune.core.api import JsonApi
from tribune.funding import conf, display, selectors, webhooks

api = JsonApi(
    mount="/support/",
    title="Tribune funding API",
    version="1.0.0",
    description=(
        "The goal bar's figures for scripts and other sites, and the payment "
        "providers' webhooks. Amounts are decimal strings in the campaign's "
        'currency. Errors have the shape {"error": {"code": ..., "message": ...}}.'
    ),
    urls_namespace="funding",
)


class Tick(BaseModel):
    position: int
    label: str


class Bar(BaseModel):
    title: str
    currency: str = Field(pattern="^[A-Z]{3}$")
    raised: str = Field(description="Decimal amount")
    goal: str = Field(description="Decimal amount")
    raised_display: str = Field(examples=["$1,800"])
    goal_display: str = Field(examples=["$5,000"])
    percent: int = Field(description="May exceed 100.")
    percent_display: str = Field(examples=["36%"])
    fill_percent: int = Field(ge=0, le=100)
    over_goal: bool
    ticks: list[Tick]
    state: Literal["upcoming", "open", "last_day", "closed"]
    days: int
    hours: int
    countdown: str = Field(examples=["13 days left until the end of November"])


class Progress(BaseModel):
    bar: Bar | None = Field(description="null when no campaign runs.")


@api.get(
    "/progress.json",
    response=Progress,
    operation_id="getGoalProgress",
    summary="The active campaign's bar, formatted for the language.",
    url_name="progress_json",
)
def progress_json(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    """The active campaign's bar, or null when no campaign runs; other sites may
    read it (CORS) and caches may keep it for up to 30 seconds."""
    goal = selectors.get_bar_progress()
    bar = display.build_bar(goal, now=clock.now()) if goal else None
    response["Cache-Control"] = f"public, max-age={min(30, conf.cache_seconds())}"
    response["Access-Control-Allow-Origin"] = "*"
    return {"bar": bar.as_json() if bar else None}


# The webhooks: each provider signs its events, so no CSRF check (auth=None);
# the body is read raw, since the signature covers its exact bytes.


class Received(BaseModel):
    received: Literal[True]
    outcome: Literal["applied", "replay", "ignored"]


class WebhookErrorDetail(BaseModel):
    code: Literal[
        "amount_too_large",
        "bad_signature",
        "malformed",
        "not_configured",
        "rate_pending",
        "unverified",
    ]
    message: str


class WebhookError(BaseModel):
    """The request was refused; nothing was recorded."""

    error: WebhookErrorDetail


def _webhook(provider: str, signature: str, headers: list[str]) -> dict[str, Any]:
    """What the signature check needs, which no Python type declares: the headers
    and a JSON body read as bytes."""
    return {
        "summary": f"{provider} events; verified with {signature}.",
        "parameters": [
            {
                "name": name,
                "in": "header",
                "required": True,
                "description": f"Set by {provider}; a bad value answers 400.",
                "schema": {"type": "string"},
            }
            for name in headers
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
    }


_ANSWERS: dict[int, Any] = {200: Received, 400: WebhookError, 404: WebhookError}
# Stripe defers an event whose exchange rate is being fetched; PayPal is asked.
_ANSWERS_OR_RETRY: dict[int, Any] = {**_ANSWERS, 503: WebhookError}

api.post(
    "/webhooks/stripe/",
    auth=None,
    response=_ANSWERS_OR_RETRY,
    operation_id="receiveStripeEvent",
    url_name="stripe_webhook",
    openapi_extra=_webhook(
        "Stripe", "the Stripe-Signature header", ["Stripe-Signature"]
    ),
)(webhooks.stripe_webhook)

api.post(
    "/webhooks/paypal/",
    auth=None,
    response=_ANSWERS_OR_RETRY,
    operation_id="receivePayPalEvent",
    url_name="paypal_webhook",
    openapi_extra=_webhook(
        "PayPal",
        "PayPal's verify-webhook-signature call",
        [
            "PayPal-Transmission-Id",
            "PayPal-Transmission-Time",
            "PayPal-Transmission-Sig",
            "PayPal-Cert-Url",
            "PayPal-Auth-Algo",
        ],
    ),
)(webhooks.paypal_webhook)

api.post(
    "/webhooks/patreon/",
    auth=None,
    response=_ANSWERS,
    operation_id="receivePatreonEvent",
    url_name="patreon_webhook",
    openapi_extra=_webhook(
        "Patreon",
        "the X-Patreon-Signature header",
        ["X-Patreon-Signature", "X-Patreon-Event"],
    ),
)(webhooks.patreon_webhook)
