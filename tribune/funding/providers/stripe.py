"""Stripe: Checkout Sessions out, signed webhook events in, applied once."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal
from typing import Any

import stripe
from django.core.cache import cache

from tribune.funding import (
    conf,
    donor_services,
    fees,
    money,
    notifications,
    services,
    tasks,
)
from tribune.funding.models import Adjustment, Donation, Provider
from tribune.funding.providers import base, stripe_api

PROVIDER = Provider.STRIPE


class PayloadError(ValueError):
    """A verified event whose content cannot be applied."""


class RatePendingError(RuntimeError):
    """A payment's exchange rate is being fetched; the delivery should be retried."""


def is_configured() -> bool:
    """Both keys are set: donations can be taken and their events received."""
    return bool(conf.stripe_secret_key() and conf.stripe_webhook_secret())


def missing_settings() -> list[str]:
    """The names of the settings Stripe still needs."""
    return [
        name
        for name, value in (
            ("STRIPE_SECRET_KEY", conf.stripe_secret_key()),
            ("STRIPE_WEBHOOK_SECRET", conf.stripe_webhook_secret()),
        )
        if not value
    ]


def verify(payload: bytes, signature: str) -> dict[str, Any]:
    """Check `Stripe-Signature` over the raw body with the SDK, then parse it.

    Raises stripe.SignatureVerificationError for a bad or missing signature, or one
    dated further in the future than FUNDING_STRIPE_CLOCK_SKEW allows, and
    PayloadError for a body that is not a Stripe event.
    """
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError:
        # The SDK decodes the body before checking it, and would raise this.
        raise PayloadError("not UTF-8") from None
    stripe.WebhookSignature.verify_header(
        payload, signature, conf.stripe_webhook_secret(), conf.stripe_tolerance()
    )
    # The SDK refuses only signatures that are too old; a future one would stay
    # valid (and replayable) for as long as it is ahead of the clock.
    signed_at = next(
        int(part[2:]) for part in signature.split(",") if part.startswith("t=")
    )
    if signed_at > time.time() + conf.stripe_clock_skew():
        raise stripe.SignatureVerificationError(
            f"Timestamp {signed_at} is in the future", signature, payload
        )
    try:
        event = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"not JSON: {exc}") from None
    if not isinstance(event, dict) or not isinstance(event.get("id"), str):
        raise PayloadError("not a Stripe event")
    return event


def _get(obj: Any, *keys: str, required: bool = True) -> Any:
    for key in keys:
        if not isinstance(obj, dict) or obj.get(key) is None:
            if required:
                raise PayloadError(f"missing {'.'.join(keys)}")
            return None
        obj = obj[key]
    return obj


def _id(value: Any) -> str | None:
    """An id field that may come expanded (an object) or as a string."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _amount(obj: dict[str, Any], field: str) -> tuple[Decimal, str]:
    raw = _get(obj, field)
    currency = str(_get(obj, "currency")).upper()
    try:
        return money.from_minor(raw, currency), currency
    except money.AmountTooLargeError:
        raise
    except money.MoneyError as exc:
        raise PayloadError(str(exc)) from None


def _at(timestamp: Any) -> dt.datetime:
    if isinstance(timestamp, bool) or not isinstance(timestamp, int):
        raise PayloadError("missing created time")
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)


def _exchange_rate(
    currency: str,
    at: dt.datetime,
    *,
    payment_intent: str | None = None,
    charge: dict[str, Any] | None = None,
) -> Decimal | None:
    """The rate Stripe applied when settling a payment in another currency.

    None when the payment is in the ledger's currency. Stripe reports the rate on
    the charge's balance transaction, which events do not embed: a task fetches
    it, and RatePendingError asks for the event again until it is known.
    """
    target = services.ledger_currency(at=at)
    if currency == target:
        return None
    balance: Any = (charge or {}).get("balance_transaction")
    ask: dict[str, str] = {}
    if isinstance(balance, str):
        ask = {"balance_transaction": balance}
    elif balance is None and payment_intent:
        ask = {"payment_intent": payment_intent}
    if ask:
        key = stripe_api.rate_key(next(iter(ask.values())))
        balance = cache.get(key)
        if balance is None:
            tasks.fetch_stripe_rate.enqueue(**ask)
            # A backend that runs tasks at once has the answer already.
            balance = cache.get(key)
        if balance is None:
            raise RatePendingError(f"the rate from {currency} is being fetched")
    if not balance or str(balance["currency"]).upper() != target:
        raise PayloadError(f"no rate from {currency} to {target} for this payment")
    return Decimal(str(balance["exchange_rate"]))


def _donor(obj: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any]:
    email = (
        _get(obj, "customer_details", "email", required=False)
        or obj.get("customer_email")
        or _get(obj, "billing_details", "email", required=False)
        or ""
    )
    return {
        "public_name": str(metadata.get("public_name", ""))[:80],
        "message": str(metadata.get("message", ""))[:1000],
        "show_on_wall": metadata.get("show_on_wall") == "1",
        "email": str(email)[:254],
        "customer_ref": _id(obj.get("customer")) or "",
        "covered_fee": _covered(metadata),
    }


def _choose_badge(email: str, metadata: dict[str, Any]) -> None:
    """The donate page's badge choice, carried by the payment's metadata.

    Dated by the donate page: a monthly gift's later payments repeat it, and
    must not undo what the donor chose since on Your page.
    """
    shown = metadata.get("show_badge")
    try:
        chosen_at = dt.datetime.fromtimestamp(
            int(str(metadata.get("badge_chosen_at"))), tz=dt.UTC
        )
    except (ValueError, OverflowError, OSError):
        return
    if email and shown in ("0", "1"):
        donor_services.choose_badge(
            email=email, shown=shown == "1", chosen_at=chosen_at
        )


def _covered(metadata: dict[str, Any]) -> Decimal | None:
    """What the donor added to cover the fees, as the donate page sent it."""
    try:
        value = money.parse_amount(str(metadata.get("cover_fee") or ""))
    except money.MoneyError:
        return None
    return value if value > 0 else None


def _fee(amount: Decimal, currency: str, at: dt.datetime) -> Decimal | None:
    """Stripe's fee by the configured rule; events do not carry the real one.

    Only for payments in the ledger's currency, in which the rule's fixed part is.
    """
    rule = conf.fees().get(PROVIDER)
    if rule is None or currency != services.ledger_currency(at=at):
        return None
    return fees.fee_for(amount, fees.FeeRule(*rule), places=money.exponent(currency))


def _subscription_of(invoice: dict[str, Any]) -> str:
    """The monthly gift (subscription) an invoice bills, in old and new API shapes."""
    return (
        _id(invoice.get("subscription"))
        or _id(
            _get(
                invoice,
                "parent",
                "subscription_details",
                "subscription",
                required=False,
            )
        )
        or ""
    )


def _invoice_failed(event: dict[str, Any]) -> None:
    """A declined monthly charge: a failed ledger row, and a mail to update the card."""
    invoice = _get(event, "data", "object")
    amount, currency = _amount(invoice, "amount_due")
    if amount <= 0:
        return
    metadata = (
        _get(invoice, "subscription_details", "metadata", required=False)
        or _get(invoice, "parent", "subscription_details", "metadata", required=False)
        or {}
    )
    donation = services.record_payment(
        services.Payment(
            provider=PROVIDER,
            transaction_id=f"{_get(invoice, 'id')}:failed",
            amount=amount,
            currency=currency,
            received_at=_at(event.get("created")),
            status=Donation.Status.FAILED,
            method=Donation.Method.CARD,
            recurring=True,
            subscription_ref=_subscription_of(invoice),
            exchange_rate=Decimal(1),
            **_donor(invoice, metadata),
        )
    )
    notifications.card_failed(
        donation, update_url=str(invoice.get("hosted_invoice_url") or "")
    )


def _session(event: dict[str, Any], status: str | None) -> None:
    session = _get(event, "data", "object")
    if session.get("mode") == "subscription":
        return  # invoice.paid records each monthly payment, the first one included
    if status is None:
        paid = session.get("payment_status")
        if paid == "no_payment_required":
            return
        status = (
            Donation.Status.SUCCEEDED if paid == "paid" else Donation.Status.PENDING
        )
    amount, currency = _amount(session, "amount_total")
    payment_intent = _id(session.get("payment_intent"))
    metadata = session.get("metadata") or {}
    received_at = _at(event.get("created"))
    donation = services.record_payment(
        services.Payment(
            provider=PROVIDER,
            transaction_id=payment_intent or _get(session, "id"),
            amount=amount,
            currency=currency,
            received_at=received_at,
            status=status,
            method=Donation.Method.CARD,
            fee=_fee(amount, currency, received_at),
            exchange_rate=_exchange_rate(
                currency, received_at, payment_intent=payment_intent
            ),
            **_donor(session, metadata),
        )
    )
    _choose_badge(donation.email, metadata)


def _invoice_payment_intent(invoice: dict[str, Any]) -> str | None:
    found = _id(invoice.get("payment_intent"))
    if found:
        return found
    # API versions from 2025-03-31 list the invoice's payments instead.
    for item in _get(invoice, "payments", "data", required=False) or []:
        found = _id(_get(item, "payment", "payment_intent", required=False))
        if found:
            return found
    return None


def _invoice_paid(event: dict[str, Any]) -> None:
    invoice = _get(event, "data", "object")
    amount, currency = _amount(invoice, "amount_paid")
    if amount <= 0:
        return
    metadata = (
        _get(invoice, "subscription_details", "metadata", required=False)
        or _get(invoice, "parent", "subscription_details", "metadata", required=False)
        or {}
    )
    payment_intent = _invoice_payment_intent(invoice)
    received_at = _at(event.get("created"))
    donation = services.record_payment(
        services.Payment(
            provider=PROVIDER,
            transaction_id=payment_intent or _get(invoice, "id"),
            amount=amount,
            currency=currency,
            received_at=received_at,
            status=Donation.Status.SUCCEEDED,
            method=Donation.Method.CARD,
            recurring=True,
            subscription_ref=_subscription_of(invoice),
            fee=_fee(amount, currency, received_at),
            exchange_rate=_exchange_rate(
                currency, received_at, payment_intent=payment_intent
            ),
            **_donor(invoice, metadata),
        )
    )
    _choose_badge(donation.email, metadata)


def _charge_refunded(event: dict[str, Any]) -> None:
    charge = _get(event, "data", "object")
    amount, currency = _amount(charge, "amount")
    refunded, _ = _amount(charge, "amount_refunded")
    transaction_id = _id(charge.get("payment_intent")) or _get(charge, "id")
    # The payment may not have been seen yet: the charge carries all it needs.
    received_at = _at(charge.get("created"))
    known = Donation.objects.filter(
        provider=PROVIDER, transaction_id=transaction_id
    ).exists()
    services.record_payment(
        services.Payment(
            provider=PROVIDER,
            transaction_id=transaction_id,
            amount=amount,
            currency=currency,
            received_at=received_at,
            status=Donation.Status.SUCCEEDED,
            exchange_rate=None
            if known
            else _exchange_rate(currency, received_at, charge=charge),
            **_donor(charge, charge.get("metadata") or {}),
        )
    )
    if refunded > 0:
        services.record_refund_total(
            provider=PROVIDER,
            transaction_id=transaction_id,
            refunded_total=refunded,
            currency=currency,
            occurred_at=_at(event.get("created")),
        )


def _dispute(event: dict[str, Any], closed: bool) -> None:
    dispute = _get(event, "data", "object")
    dispute_id = _get(dispute, "id")
    amount, currency = _amount(dispute, "amount")
    transaction_id = _id(dispute.get("payment_intent")) or _id(dispute.get("charge"))
    if not transaction_id:
        raise PayloadError("dispute names no payment")
    steps = [Adjustment.Kind.DISPUTE_OPENED]
    if closed:
        # Stripe's closed statuses: "lost", "won", "warning_closed" (no chargeback).
        lost = dispute.get("status") == "lost"
        steps.append(
            Adjustment.Kind.DISPUTE_LOST if lost else Adjustment.Kind.DISPUTE_WON
        )
    for kind in steps:
        services.record_adjustment(
            provider=PROVIDER,
            reference=f"{dispute_id}:{kind}",
            transaction_id=transaction_id,
            kind=kind,
            amount=amount,
            currency=currency,
            occurred_at=_at(event.get("created")),
        )


def _subscription_deleted(event: dict[str, Any]) -> None:
    """A monthly gift ended (in the customer portal, or by Stripe after failed
    charges): its payments are marked ended; no money row is invented."""
    subscription = _get(event, "data", "object")
    customer = _id(subscription.get("customer"))
    if not customer:
        raise PayloadError("subscription names no customer")
    ended = subscription.get("ended_at") or subscription.get("canceled_at")
    donor_services.end_monthly_gift(
        provider=PROVIDER,
        customer_ref=customer,
        subscription_ref=_id(subscription.get("id")) or "",
        ended_at=_at(ended or event.get("created")),
    )


HANDLERS: dict[str, base.Handler] = {
    "checkout.session.completed": lambda e: _session(e, None),
    "checkout.session.async_payment_succeeded": lambda e: _session(
        e, Donation.Status.SUCCEEDED
    ),
    "checkout.session.async_payment_failed": lambda e: _session(
        e, Donation.Status.FAILED
    ),
    "invoice.paid": _invoice_paid,
    "invoice.payment_failed": _invoice_failed,
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": lambda e: _dispute(e, closed=False),
    "charge.dispute.closed": lambda e: _dispute(e, closed=True),
    "customer.subscription.deleted": _subscription_deleted,
}


def apply_event(event: dict[str, Any]) -> str:
    """Apply a verified event once: "applied", "replay" or "ignored" (unknown type).

    Raises PayloadError (or services.LedgerError) for content it cannot apply.
    """
    return base.apply_once(
        provider=PROVIDER,
        event_id=event["id"],
        event_type=str(event.get("type")),
        handlers=HANDLERS,
        event=event,
    )
