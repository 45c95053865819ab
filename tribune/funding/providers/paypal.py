"""PayPal: REST webhooks verified by PayPal's verify-webhook-signature call."""

from __future__ import annotations

import base64
import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.cache import cache

from tribune.funding import conf, services
from tribune.funding.models import Adjustment, Donation, Provider
from tribune.funding.providers import base

PROVIDER = Provider.PAYPAL
TIMEOUT = 10
SIGNATURE_HEADERS = {
    "auth_algo": "PAYPAL-AUTH-ALGO",
    "cert_url": "PAYPAL-CERT-URL",
    "transmission_id": "PAYPAL-TRANSMISSION-ID",
    "transmission_sig": "PAYPAL-TRANSMISSION-SIG",
    "transmission_time": "PAYPAL-TRANSMISSION-TIME",
}


class PayloadError(ValueError):
    """A verified event whose content cannot be applied."""


class SignatureError(ValueError):
    """PayPal did not vouch for the delivery."""


class UnreachableError(RuntimeError):
    """PayPal's API could not be asked; the delivery should be retried."""


def is_configured() -> bool:
    """Client id, secret and webhook id are all set."""
    return bool(
        conf.paypal_client_id()
        and conf.paypal_client_secret()
        and conf.paypal_webhook_id()
    )


def _post(path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    url = conf.paypal_api_base() + path
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise UnreachableError(f"refusing to call {url}")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return dict(json.loads(response.read()))
    except urllib.error.HTTPError as exc:
        raise UnreachableError(f"PayPal answered {exc.code} on {path}") from None
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
        raise UnreachableError(f"PayPal unreachable on {path}: {exc}") from None


OAUTH_CACHE_KEY = "funding:paypal:oauth"


def _access_token() -> str:
    """An OAuth token for PayPal's API, cached until shortly before it expires."""
    cached = cache.get(OAUTH_CACHE_KEY)
    if isinstance(cached, str):
        return cached
    credentials = f"{conf.paypal_client_id()}:{conf.paypal_client_secret()}"
    answer = _post(
        "/v1/oauth2/token",
        b"grant_type=client_credentials",
        {
            "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode(),
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
    )
    token = answer.get("access_token")
    if not isinstance(token, str):
        raise UnreachableError("PayPal gave no access token")
    lifetime = answer.get("expires_in")
    if isinstance(lifetime, int) and lifetime > 120:
        cache.set(OAUTH_CACHE_KEY, token, lifetime - 60)
    return token


def verify(payload: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
    """Ask PayPal whether it sent this delivery; return the parsed event.

    Raises SignatureError when headers are missing or PayPal says no,
    PayloadError for a body that is not an event, UnreachableError when
    PayPal cannot be asked.
    """
    values = {key: headers.get(name, "") for key, name in SIGNATURE_HEADERS.items()}
    if not all(values.values()):
        raise SignatureError("PayPal signature headers are missing")
    try:
        event = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"not JSON: {exc}") from None
    if not isinstance(event, dict) or not isinstance(event.get("id"), str):
        raise PayloadError("not a PayPal event")
    answer = _post(
        "/v1/notifications/verify-webhook-signature",
        json.dumps(
            {**values, "webhook_id": conf.paypal_webhook_id(), "webhook_event": event}
        ).encode(),
        {
            "Authorization": f"Bearer {_access_token()}",
            "Content-Type": "application/json",
        },
    )
    if answer.get("verification_status") != "SUCCESS":
        raise SignatureError("PayPal did not verify the signature")
    return event


def _money(obj: Any) -> tuple[Decimal, str]:
    try:
        value = Decimal(str(obj["value"]))
        currency = str(obj["currency_code"]).upper()
    except (KeyError, TypeError, InvalidOperation):
        raise PayloadError("missing or malformed amount") from None
    if not value.is_finite() or value <= 0:
        raise PayloadError("amount must be positive")
    return value, currency


def _time(resource: dict[str, Any], event: dict[str, Any]) -> dt.datetime:
    raw = resource.get("create_time") or event.get("create_time")
    try:
        parsed = dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError("missing or malformed create_time") from None
    if parsed.tzinfo is None:
        raise PayloadError("create_time has no zone")
    return parsed


def _capture(event: dict[str, Any], status: str) -> None:
    resource = event.get("resource") or {}
    capture_id = resource.get("id")
    if not isinstance(capture_id, str):
        raise PayloadError("capture has no id")
    amount, currency = _money(resource.get("amount"))
    breakdown = resource.get("seller_receivable_breakdown") or {}
    fee = _money(breakdown["paypal_fee"])[0] if breakdown.get("paypal_fee") else None
    rate = None
    if breakdown.get("exchange_rate", {}).get("value"):
        try:
            rate = Decimal(str(breakdown["exchange_rate"]["value"]))
        except InvalidOperation:
            raise PayloadError("malformed exchange rate") from None
    services.record_payment(
        services.Payment(
            provider=PROVIDER,
            transaction_id=capture_id,
            amount=amount,
            currency=currency,
            received_at=_time(resource, event),
            status=status,
            method=Donation.Method.PAYPAL,
            fee=fee,
            exchange_rate=rate,
            email=str((resource.get("payer") or {}).get("email_address", ""))[:254],
        )
    )


def _capture_of(resource: dict[str, Any]) -> str:
    for link in resource.get("links") or []:
        href = str(link.get("href", ""))
        if link.get("rel") == "up" and "/captures/" in href:
            return href.rstrip("/").rsplit("/", 1)[-1]
    raise PayloadError("refund names no capture")


def _reversal(event: dict[str, Any], kind: str) -> None:
    resource = event.get("resource") or {}
    reference = resource.get("id")
    if not isinstance(reference, str):
        raise PayloadError("refund has no id")
    amount, currency = _money(resource.get("amount"))
    services.record_adjustment(
        provider=PROVIDER,
        reference=reference,
        transaction_id=_capture_of(resource),
        kind=kind,
        amount=amount,
        currency=currency,
        occurred_at=_time(resource, event),
    )


HANDLERS: dict[str, base.Handler] = {
    "PAYMENT.CAPTURE.COMPLETED": lambda e: _capture(e, Donation.Status.SUCCEEDED),
    "PAYMENT.CAPTURE.PENDING": lambda e: _capture(e, Donation.Status.PENDING),
    "PAYMENT.CAPTURE.DENIED": lambda e: _capture(e, Donation.Status.FAILED),
    "PAYMENT.CAPTURE.REFUNDED": lambda e: _reversal(e, Adjustment.Kind.REFUND),
    "PAYMENT.CAPTURE.REVERSED": lambda e: _reversal(e, Adjustment.Kind.DISPUTE_LOST),
}


def apply_event(event: dict[str, Any]) -> str:
    """Apply a verified event once: "applied", "replay" or "ignored"."""
    return base.apply_once(
        provider=PROVIDER,
        event_id=event["id"],
        event_type=str(event.get("event_type")),
        handlers=HANDLERS,
        event=event,
    )
