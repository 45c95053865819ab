"""Patreon: member webhooks signed with HMAC-MD5; each paid monthly charge counts."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tribune.funding import conf, money, services
from tribune.funding.models import Adjustment, Donation, Provider
from tribune.funding.providers import base

PROVIDER = Provider.PATREON
EVENTS = {
    "members:create",
    "members:update",
    "members:pledge:create",
    "members:pledge:update",
}


class PayloadError(ValueError):
    """A verified delivery whose content cannot be applied."""


class SignatureError(ValueError):
    """The X-Patreon-Signature does not match the body."""


def is_configured() -> bool:
    return bool(conf.patreon_webhook_secret())


def verify(payload: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
    """Check X-Patreon-Signature (hex HMAC-MD5 of the raw body), then parse it."""
    given = headers.get("X-Patreon-Signature", "")
    expected = hmac.new(
        conf.patreon_webhook_secret().encode(), payload, hashlib.md5
    ).hexdigest()
    if not given or not hmac.compare_digest(given.lower(), expected):
        raise SignatureError("X-Patreon-Signature does not match")
    try:
        body = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"not JSON: {exc}") from None
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise PayloadError("not a Patreon member document")
    return body


def _charge_time(raw: Any) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError("malformed last_charge_date") from None
    if parsed.tzinfo is None:
        raise PayloadError("last_charge_date has no zone")
    return parsed


def _record_charge(event: dict[str, Any]) -> None:
    """Record the member's last charge (and its refund) from a verified body."""
    data = event["body"]["data"]
    attributes = data.get("attributes") or {}
    member = data.get("id")
    cents = attributes.get("currently_entitled_amount_cents")
    if not isinstance(member, str) or not isinstance(cents, int) or cents <= 0:
        raise PayloadError("member id or pledge amount missing")
    charged_at = _charge_time(attributes["last_charge_date"])
    currency = services.ledger_currency(at=charged_at)
    amount = money.from_minor(cents, currency)
    transaction_id = f"{member}:{charged_at.date().isoformat()}"
    services.record_payment(
        services.Payment(
            provider=PROVIDER,
            transaction_id=transaction_id,
            amount=amount,
            currency=currency,
            received_at=charged_at,
            method=Donation.Method.PATREON,
            recurring=True,
            email=str(attributes.get("email") or "")[:254],
        )
    )
    if attributes.get("last_charge_status") == "Refunded":
        services.record_adjustment(
            provider=PROVIDER,
            reference=f"{transaction_id}:refund",
            transaction_id=transaction_id,
            kind=Adjustment.Kind.REFUND,
            amount=Decimal(amount),
            currency=currency,
            occurred_at=charged_at,
        )


HANDLERS: dict[str, base.Handler] = dict.fromkeys(EVENTS, _record_charge)


def apply_event(event_type: str, body: dict[str, Any], raw: bytes) -> str:
    """Record the member's last charge once: "applied", "replay" or "ignored".

    Patreon sends no event id; the body's digest stands in for one.
    """
    attributes = body["data"].get("attributes") or {}
    if attributes.get("last_charge_status") not in {"Paid", "Refunded"} or not (
        attributes.get("last_charge_date")
    ):
        return "ignored"
    return base.apply_once(
        provider=PROVIDER,
        event_id=hashlib.sha256(event_type.encode() + b"\n" + raw).hexdigest(),
        event_type=event_type,
        handlers=HANDLERS,
        event={"body": body},
    )
