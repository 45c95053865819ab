"""Writes to the funding ledger: campaigns, donations, reversing entries, events.

Every ledger write is idempotent: a replay of the same provider transaction, refund,
dispute step or event finds its row (unique constraints) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from tribune.core import clock, pagecache
from tribune.core.text import clean_reader_text
from tribune.funding import (
    conf,
    imports,
    money,
    notifications,
    progress,
    selectors,
    signals,
)
from tribune.funding.models import (
    Adjustment,
    Campaign,
    CampaignMonth,
    Donation,
    ProcessedEvent,
    SupporterMessage,
)
from tribune.funding.signals import send_goal_changed


class LedgerError(ValueError):
    """A ledger write that cannot be made as asked."""


class AmountTooLargeError(LedgerError):
    """An amount beyond its currency's maximum (FUNDING_MAX_MINOR_UNITS)."""


# The exchange_rate column holds 18 digits, 8 of them decimals.
MAX_EXCHANGE_RATE = Decimal("9999999999")


def check_amount(amount: Decimal, currency: str) -> Decimal:
    """Refuse an amount beyond the currency's configured maximum.

    The last line behind every door (webhooks, admin, CSV import): raises
    AmountTooLargeError, whose message names the maximum.
    """
    try:
        return money.check_amount(amount, currency, conf.max_minor_units())
    except money.AmountTooLargeError as exc:
        raise AmountTooLargeError(str(exc)) from None


def _check_goal(goal: Decimal) -> None:
    if goal <= 0:
        raise LedgerError("a goal must be positive")
    if goal >= money.COLUMN_CEILING:
        raise AmountTooLargeError("the goal is too large")


def refresh_bar() -> None:
    """Drop the cached bar and the cached pages that show it (every page), and
    say that the supporters may have changed (their badges are on the pages)."""
    selectors.forget_bar_progress()
    pagecache.invalidate_all()
    signals.supporters_changed.send_robust(sender=Donation)
    send_goal_changed()


def _forget_on_commit() -> None:
    transaction.on_commit(refresh_bar, robust=True)  # never fails the write


@transaction.atomic
def create_campaign(
    *,
    title: str,
    goal: Decimal,
    starts_on: dt.date,
    window: str = Campaign.Window.MONTHLY,
    ends_on: dt.date | None = None,
    currency: str = "",
    is_active: bool = True,
) -> Campaign:
    """Start a campaign; for a monthly one, freeze the first month's goal."""
    _check_goal(goal)
    campaign = Campaign.objects.create(
        title=title,
        goal=goal,
        starts_on=starts_on,
        window=window,
        ends_on=ends_on,
        currency=(currency or conf.default_currency()).upper(),
        is_active=is_active,
    )
    if window == Campaign.Window.MONTHLY:
        set_month_goal(campaign=campaign, month=starts_on.replace(day=1), goal=goal)
    _forget_on_commit()
    return campaign


@transaction.atomic
def set_month_goal(
    *, campaign: Campaign, month: dt.date, goal: Decimal
) -> CampaignMonth:
    """Set one month's goal of a monthly campaign; other months keep theirs."""
    _check_goal(goal)
    row, _ = CampaignMonth.objects.update_or_create(
        campaign=campaign, month=month.replace(day=1), defaults={"goal": goal}
    )
    _forget_on_commit()
    return row


def _keep_month_goal(month: dt.date) -> None:
    """Freeze the month's goal of every monthly campaign the month belongs to."""
    for campaign in Campaign.objects.filter(
        window=Campaign.Window.MONTHLY, starts_on__lt=progress.next_month(month)
    ):
        CampaignMonth.objects.get_or_create(
            campaign=campaign, month=month, defaults={"goal": campaign.goal}
        )


def ledger_currency(*, at: dt.datetime) -> str:
    """The currency donations received at this time are counted in."""
    campaign = selectors.get_active_campaign(
        today=at.astimezone(selectors.site_tz()).date()
    )
    return campaign.currency if campaign else conf.default_currency()


_FORWARD = {
    Donation.Status.PENDING: {Donation.Status.SUCCEEDED, Donation.Status.FAILED},
    Donation.Status.SUCCEEDED: set(),
    Donation.Status.FAILED: set(),
}


@dataclass(frozen=True)
class Payment:
    """A payment as a provider, an editor or a file reports it, before the ledger.

    `amount` is the gross in `currency`; another currency than the ledger's needs
    the `exchange_rate` the provider (or the editor) reports.
    """

    provider: str
    transaction_id: str
    amount: Decimal
    currency: str
    received_at: dt.datetime
    status: str = Donation.Status.SUCCEEDED
    method: str = Donation.Method.CARD
    fee: Decimal | None = None
    exchange_rate: Decimal | None = None
    recurring: bool = False
    public_name: str = ""
    email: str = ""
    message: str = ""
    show_on_wall: bool = False
    note: str = ""
    recorded_by: Any = None
    covered_fee: Decimal | None = None
    customer_ref: str = ""
    subscription_ref: str = ""


def _checked(payment: Payment) -> Payment:
    """The payment with donor text cleaned and trimmed; raises LedgerError."""
    if not payment.transaction_id:
        raise LedgerError("a transaction id is required")
    if payment.received_at.tzinfo is None:
        raise LedgerError("received_at must be aware")
    if payment.amount <= 0:
        raise LedgerError("the amount must be positive")
    if payment.status not in Donation.Status.values:
        raise LedgerError(f"unknown status {payment.status!r}")
    currency = payment.currency.upper()
    check_amount(payment.amount, currency)
    for part in (payment.fee, payment.covered_fee):
        if part is not None:
            check_amount(part, currency)
    # Donor text reaches the wall from forms, webhooks and CSV files alike.
    return replace(
        payment,
        currency=currency,
        public_name=clean_reader_text(payment.public_name).strip(),
        message=clean_reader_text(payment.message).strip(),
        email=payment.email.strip(),
    )


def _rate_to(payment: Payment, target: str) -> Decimal:
    if payment.currency == target:
        return Decimal(1)
    rate = payment.exchange_rate
    if rate is None:
        raise LedgerError(f"{payment.currency} needs an exchange rate to {target}")
    if not 0 < rate <= MAX_EXCHANGE_RATE:
        raise LedgerError(f"the exchange rate {rate} is out of range")
    return rate


def _insert(payment: Payment) -> tuple[Donation, bool]:
    """The insert half: convert to the ledger's currency and add the row once."""
    target = ledger_currency(at=payment.received_at)
    rate = _rate_to(payment, target)
    try:
        gross = money.convert(payment.amount, rate)
        fee = money.convert(payment.fee, rate) if payment.fee else payment.fee
        covered = (
            money.convert(payment.covered_fee, rate) if payment.covered_fee else None
        )
    except money.AmountTooLargeError as exc:
        raise AmountTooLargeError(str(exc)) from None
    check_amount(gross, target)
    # A concurrent delivery may insert the same row first: get_or_create then
    # reads it instead (the unique constraint decides).
    donation, created = Donation.objects.get_or_create(
        provider=payment.provider,
        transaction_id=payment.transaction_id,
        defaults={
            "payment_status": payment.status,
            "method": payment.method,
            "amount": gross,
            "fee": fee,
            "net": gross - fee if fee is not None else None,
            "currency": target,
            "original_amount": payment.amount,
            "original_currency": payment.currency,
            "exchange_rate": rate,
            "received_at": payment.received_at,
            "month": progress.month_of(payment.received_at, selectors.site_tz()),
            "recurring": payment.recurring,
            "covered_fee": covered if covered and covered < gross else None,
            "customer_ref": payment.customer_ref[:200],
            "subscription_ref": payment.subscription_ref[:200],
            "public_name": payment.public_name,
            "email": payment.email,
            "message": payment.message,
            "note": payment.note,
            "recorded_by": payment.recorded_by,
        },
    )
    if created:
        _keep_month_goal(donation.month)
        if payment.show_on_wall and (payment.public_name or payment.message):
            SupporterMessage.objects.create(
                donation=donation,
                public_name=payment.public_name,
                message=payment.message,
            )
    return donation, created


def _update(donation: Donation, payment: Payment) -> tuple[Donation, list[str]]:
    """The update half: move the status forward, fill blank donor details.

    Amounts are never changed. Returns the locked row and the fields it changed.
    """
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    changed = []
    if payment.status in _FORWARD[Donation.Status(donation.payment_status)]:
        donation.payment_status = payment.status
        changed.append("payment_status")
    for field in (
        "public_name",
        "email",
        "message",
        "customer_ref",
        "subscription_ref",
    ):
        value = getattr(payment, field)
        if value and not getattr(donation, field):
            setattr(donation, field, value)
            changed.append(field)
    if not changed:
        return donation, changed
    donation.save(update_fields=changed)
    if payment.show_on_wall and (donation.public_name or donation.message):
        SupporterMessage.objects.get_or_create(
            donation=donation,
            defaults={"public_name": donation.public_name, "message": donation.message},
        )
    return donation, changed


@transaction.atomic
def record_payment(payment: Payment) -> Donation:
    """Add a payment to the ledger once; a replay returns the existing row.

    A replay may only move the status forward (pending to succeeded or failed)
    and fill donor details left blank; amounts are never changed. Clears the
    cached bar on commit. Raises AmountTooLargeError for an amount (or fee, or
    converted gross) beyond its currency's maximum.
    """
    payment = _checked(payment)
    donation = Donation.objects.filter(
        provider=payment.provider, transaction_id=payment.transaction_id
    ).first()
    if donation is None:
        donation, created = _insert(payment)
        if created:
            _forget_on_commit()
            if donation.payment_status == Donation.Status.SUCCEEDED:
                notifications.thank_donor(donation)
            return donation
    donation, changed = _update(donation, payment)
    if changed:
        _forget_on_commit()
    if "payment_status" in changed and payment.status == Donation.Status.SUCCEEDED:
        notifications.thank_donor(donation)
    return donation


def record_donation(**fields: Any) -> Donation:
    """`record_payment` with the Payment's fields as keyword arguments."""
    return record_payment(Payment(**fields))


@transaction.atomic
def record_adjustment(
    *,
    provider: str,
    reference: str,
    transaction_id: str,
    kind: str,
    amount: Decimal,
    currency: str,
    occurred_at: dt.datetime,
) -> Adjustment:
    """Add a refund or dispute step once, keyed by the provider's reference.

    The payment it names may arrive later; it counts from then on. Raises
    AmountTooLargeError for an amount beyond its currency's maximum.
    """
    if kind not in Adjustment.Kind.values:
        raise LedgerError(f"unknown adjustment {kind!r}")
    if amount <= 0:
        raise LedgerError("the amount must be positive")
    check_amount(amount, currency)
    entry, created = Adjustment.objects.get_or_create(
        provider=provider,
        reference=reference,
        defaults={
            "transaction_id": transaction_id,
            "kind": kind,
            "amount": amount,
            "currency": currency.upper(),
            "occurred_at": occurred_at,
        },
    )
    if created:
        _forget_on_commit()
    return entry


@transaction.atomic
def record_refund_total(
    *,
    provider: str,
    transaction_id: str,
    refunded_total: Decimal,
    currency: str,
    occurred_at: dt.datetime,
) -> Adjustment | None:
    """Bring a payment's refunds up to the provider's cumulative refunded amount.

    For providers that report "refunded so far" rather than each refund: a late,
    smaller total changes nothing. The payment must be in the ledger; its row is
    locked so concurrent deliveries add the difference once.
    """
    try:
        donation = Donation.objects.select_for_update().get(
            provider=provider, transaction_id=transaction_id
        )
    except Donation.DoesNotExist:
        raise LedgerError(f"no payment {transaction_id} to refund") from None
    so_far = Adjustment.objects.filter(
        provider=provider, transaction_id=transaction_id, kind=Adjustment.Kind.REFUND
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    missing = min(refunded_total, donation.original_amount) - so_far
    if missing <= 0:
        return None
    return record_adjustment(
        provider=provider,
        reference=f"{transaction_id}:refunded-to:{refunded_total}",
        transaction_id=transaction_id,
        kind=Adjustment.Kind.REFUND,
        amount=missing,
        currency=currency,
        occurred_at=occurred_at,
    )


def claim_event(*, provider: str, event_id: str, event_type: str) -> bool:
    """Mark a provider event handled; False when it already was (a replay).

    Call inside the transaction that applies the event, so a failure releases it.
    """
    _, created = ProcessedEvent.objects.get_or_create(
        provider=provider, event_id=event_id, defaults={"event_type": event_type}
    )
    return created


@transaction.atomic
def moderate_message(*, message: SupporterMessage, approve: bool) -> SupporterMessage:
    """Approve or reject a message for the supporters' wall."""
    message.status = (
        SupporterMessage.Status.APPROVED
        if approve
        else SupporterMessage.Status.REJECTED
    )
    message.moderated_at = clock.now()
    message.save(update_fields=["status", "moderated_at"])
    return message


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), by line number."""

    added: list[int] = dc_field(default_factory=list)
    duplicates: list[tuple[int, str]] = dc_field(default_factory=list)
    rejected: list[tuple[int, str]] = dc_field(default_factory=list)
    committed: bool = False


def import_donations(
    *,
    rows: Sequence[imports.Row],
    rejected: Sequence[tuple[int, str]] = (),
    skip_invalid: bool = False,
    dry_run: bool = False,
    recorded_by: Any = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Record imported rows in one transaction; rows already in the ledger are skipped.

    Any rejected row cancels the whole import unless `skip_invalid`; a dry run
    does every write and rolls it back, so its report is exactly what a real run
    would do. Running the same file twice adds nothing the second time.
    """
    report = ImportReport(rejected=list(rejected))
    with transaction.atomic():
        for done, row in enumerate(rows, start=1):
            if Donation.objects.filter(
                provider=row.provider, transaction_id=row.transaction_id
            ).exists():
                report.duplicates.append((row.line, row.transaction_id))
            else:
                try:
                    with transaction.atomic():
                        record_payment(
                            Payment(
                                provider=row.provider,
                                transaction_id=row.transaction_id,
                                amount=row.amount,
                                currency=row.currency,
                                received_at=row.received_at,
                                method=row.method,
                                fee=row.fee,
                                exchange_rate=row.exchange_rate,
                                recurring=row.recurring,
                                public_name=row.public_name,
                                email=row.email,
                                message=row.message,
                                recorded_by=recorded_by,
                            )
                        )
                except (LedgerError, money.MoneyError) as exc:
                    report.rejected.append((row.line, str(exc)))
                else:
                    report.added.append(row.line)
            if on_progress is not None:
                on_progress(done, len(rows))
        report.rejected.sort()
        if dry_run or (report.rejected and not skip_invalid):
            transaction.set_rollback(True)
        else:
            report.committed = True
    return report
