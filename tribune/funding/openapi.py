"""The hand-written OpenAPI 3.1 document of funding's JSON endpoints."""

from __future__ import annotations

from typing import Any

_ERROR = {"$ref": "#/components/responses/Error"}
_RECEIVED = {
    "description": "Applied, a replay, or an event type that is ignored.",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Received"}}
    },
}


def _webhook(
    provider: str, signature: str, operation: str, headers: list[str]
) -> dict[str, Any]:
    return {
        "post": {
            "operationId": operation,
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
            "responses": {
                "200": _RECEIVED,
                "400": _ERROR,
                "404": _ERROR,
                **({"503": _ERROR} if provider in {"PayPal", "Stripe"} else {}),
            },
        }
    }


DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Tribune funding API",
        "version": "1.0.0",
        "description": (
            "The goal bar's figures for scripts and other sites, and the payment "
            "providers' webhooks. Amounts are decimal strings in the campaign's "
            'currency. Errors have the shape {"error": {"code": ..., "message": ...}}.'
        ),
    },
    "paths": {
        "/support/progress.json": {
            "get": {
                "operationId": "getGoalProgress",
                "summary": "The active campaign's bar, formatted for the language.",
                "responses": {
                    "200": {
                        "description": "The bar, or null when no campaign runs.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Progress"}
                            }
                        },
                    }
                },
            }
        },
        "/support/webhooks/stripe/": _webhook(
            "Stripe",
            "the Stripe-Signature header",
            "receiveStripeEvent",
            ["Stripe-Signature"],
        ),
        "/support/webhooks/paypal/": _webhook(
            "PayPal",
            "PayPal's verify-webhook-signature call",
            "receivePayPalEvent",
            [
                "PayPal-Transmission-Id",
                "PayPal-Transmission-Time",
                "PayPal-Transmission-Sig",
                "PayPal-Cert-Url",
                "PayPal-Auth-Algo",
            ],
        ),
        "/support/webhooks/patreon/": _webhook(
            "Patreon",
            "the X-Patreon-Signature header",
            "receivePatreonEvent",
            ["X-Patreon-Signature", "X-Patreon-Event"],
        ),
    },
    "components": {
        "schemas": {
            "Progress": {
                "type": "object",
                "required": ["bar"],
                "properties": {
                    "bar": {
                        "oneOf": [
                            {"type": "null"},
                            {"$ref": "#/components/schemas/Bar"},
                        ]
                    }
                },
            },
            "Bar": {
                "type": "object",
                "required": [
                    "title",
                    "currency",
                    "raised",
                    "goal",
                    "raised_display",
                    "goal_display",
                    "percent",
                    "percent_display",
                    "fill_percent",
                    "over_goal",
                    "ticks",
                    "state",
                    "days",
                    "hours",
                    "countdown",
                ],
                "properties": {
                    "title": {"type": "string"},
                    "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                    "raised": {"type": "string", "description": "Decimal amount"},
                    "goal": {"type": "string", "description": "Decimal amount"},
                    "raised_display": {"type": "string", "examples": ["$1,800"]},
                    "goal_display": {"type": "string", "examples": ["$5,000"]},
                    "percent": {"type": "integer", "description": "May exceed 100."},
                    "percent_display": {"type": "string", "examples": ["36%"]},
                    "fill_percent": {"type": "integer", "minimum": 0, "maximum": 100},
                    "over_goal": {"type": "boolean"},
                    "ticks": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["position", "label"],
                            "properties": {
                                "position": {"type": "integer"},
                                "label": {"type": "string"},
                            },
                        },
                    },
                    "state": {"enum": ["upcoming", "open", "last_day", "closed"]},
                    "days": {"type": "integer"},
                    "hours": {"type": "integer"},
                    "countdown": {
                        "type": "string",
                        "examples": ["13 days left until the end of November"],
                    },
                },
            },
            "Received": {
                "type": "object",
                "required": ["received", "outcome"],
                "properties": {
                    "received": {"const": True},
                    "outcome": {"enum": ["applied", "replay", "ignored"]},
                },
            },
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["code", "message"],
                        "properties": {
                            "code": {
                                "enum": [
                                    "amount_too_large",
                                    "bad_signature",
                                    "malformed",
                                    "not_configured",
                                    "rate_pending",
                                    "unverified",
                                ]
                            },
                            "message": {"type": "string"},
                        },
                    }
                },
            },
        },
        "responses": {
            "Error": {
                "description": "The request was refused; nothing was recorded.",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}
                    }
                },
            }
        },
    },
}
