"""Writes of the mailing app: queue mail, suppress and erase addresses, rate-limit.

Other apps send mail only through `queue_templated_email` (or `queue_email`
for text they already have); the worker delivers it (tribune/mailing/delivery.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from tribune.core import clock
from tribune.mailing import conf, delivery, signals
from tribune.mailing.addresses import normalize_address
from tribune.mailing.footer import add_footer
from tribune.mailing.models import OutboundEmail, SendAllowance, Suppression

Status = OutboundEmail.Status
# Headers the outbox sets itself; callers may not override them.
_RESERVED_HEADERS = {
    "to",
    "from",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "content-type",
    "content-transfer-encoding",
    "mime-version",
}


class MailingError(ValueError):
    """A mail request that cannot be queued as asked."""


def _valid_address(email: str) -> str:
    address = normalize_address(email)
    try:
        validate_email(address)
    except ValidationError:
        raise MailingError(f"not an email address: {email!r}") from None
    return address


def _check_header(name: str, value: str) -> None:
    if any(c in name + value for c in "\r\n\0"):
        raise MailingError(f"header {name!r} contains a line break")
    if name.strip().lower() in _RESERVED_HEADERS or not name.strip():
        raise MailingError(f"header {name!r} is set by the outbox")


@transaction.atomic
def queue_email(
    *,
    to: str,
    subject: str,
    text: str,
    dedupe_key: str,
    html: str = "",
    headers: Mapping[str, str] | None = None,
    asked_for: bool = False,
) -> OutboundEmail:
    """Put one message in the outbox, or return the one already queued for the key.

    `dedupe_key` names the logical message (e.g. "reply:4711"): a second call
    with the same recipient and key changes nothing and returns the first row.
    The delivery task is enqueued when the caller's transaction commits, so a
    rolled-back request sends nothing. A suppressed recipient gets a row in
    status "suppressed" and no task, except that a message the reader has
    just `asked_for` (a sign-in link) still goes to an address suppressed by
    hand (their own "stop all mail"), never to one that bounced or complained.
    Both bodies get the footer linking to the reader's own page
    (mailing/footer.py).
    """
    address = _valid_address(to)
    # Lazy translations become plain strings before they are stored.
    subject, text, html = str(subject), str(text), str(html)
    # Every message links to the reader's own page (issue 16).
    text, html = add_footer(text, html)
    if not dedupe_key or len(dedupe_key) > 200:
        raise MailingError("dedupe_key must be 1 to 200 characters")
    existing = OutboundEmail.objects.filter(
        recipient=address, dedupe_key=dedupe_key
    ).first()
    if existing is not None:
        return existing
    if "\n" in subject or "\r" in subject or not subject.strip():
        raise MailingError("the subject must be one non-empty line")
    clean_headers = {str(k): str(v) for k, v in (headers or {}).items()}
    for name, value in clean_headers.items():
        _check_header(name, value)
    blocking = Suppression.objects.filter(email=address)
    if asked_for:
        blocking = blocking.exclude(reason=Suppression.Reason.MANUAL)
    suppressed = blocking.exists()
    now = clock.now()
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                recipient=address,
                subject=subject.strip()[:255],
                text_body=text,
                html_body=html,
                headers=clean_headers,
                dedupe_key=dedupe_key,
                message_id=f"<{uuid.uuid4().hex}@{conf.message_id_domain()}>",
                status=Status.SUPPRESSED if suppressed else Status.QUEUED,
                next_attempt_at=now,
                enqueued_at=now,
            )
    except IntegrityError:
        # A concurrent request queued the same key first.
        return OutboundEmail.objects.get(recipient=address, dedupe_key=dedupe_key)
    if not suppressed:
        delivery.enqueue_on_commit(email.pk)
    return email


def queue_templated_email(
    template_prefix: str,
    *,
    to: str,
    context: Mapping[str, Any],
    dedupe_key: str,
    headers: Mapping[str, str] | None = None,
) -> OutboundEmail:
    """Render a message from its templates and put it in the outbox (see queue_email).

    `<prefix>_subject.txt` gives the subject (its whitespace runs, line breaks
    included, become single spaces), `<prefix>.txt` the plain text and
    `<prefix>.html`, when it exists, the HTML part. Text templates escape as
    every Django template does unless they say `{% autoescape off %}`: mail
    templates with text a visitor or editor typed do. Sends on commit.
    """
    context = dict(context)
    subject = " ".join(
        render_to_string(f"{template_prefix}_subject.txt", context).split()
    )
    text = render_to_string(f"{template_prefix}.txt", context)
    try:
        html = get_template(f"{template_prefix}.html").render(context)
    except TemplateDoesNotExist:
        html = ""
    return queue_email(
        to=to,
        subject=subject,
        text=text,
        html=html,
        headers=headers,
        dedupe_key=dedupe_key,
    )


@transaction.atomic
def suppress_address(
    *, email: str, reason: str = Suppression.Reason.MANUAL, note: str = ""
) -> Suppression:
    """Stop all mail to an address; queued messages to it are marked suppressed.

    Idempotent: an address already on the list keeps its first reason.
    """
    address = _valid_address(email)
    if reason not in Suppression.Reason.values:
        raise MailingError(f"unknown suppression reason {reason!r}")
    suppression, _ = Suppression.objects.get_or_create(
        email=address, defaults={"reason": reason, "note": note[:255]}
    )
    OutboundEmail.objects.filter(recipient=address, status=Status.QUEUED).update(
        status=Status.SUPPRESSED
    )
    return suppression


def record_bounce(*, email: str, reason: str) -> Suppression:
    """The hook for a mail provider's bounce or complaint webhook.

    `reason` is "bounce" (a hard bounce: the address does not exist) or
    "complaint" (the reader marked a message as spam). Soft bounces should not
    be reported here; the outbox retries those by itself.
    """
    if reason not in {Suppression.Reason.BOUNCE, Suppression.Reason.COMPLAINT}:
        raise MailingError("reason must be 'bounce' or 'complaint'")
    return suppress_address(email=email, reason=reason, note="reported by provider")


@transaction.atomic
def unsuppress_address(*, email: str) -> int:
    """Take an address off the suppression list; returns rows removed (0 or 1)."""
    deleted, _ = Suppression.objects.filter(email=normalize_address(email)).delete()
    return deleted


@transaction.atomic
def erase_address(*, email: str) -> int:
    """Forget an address: its outbox rows, its send allowances, and (through the
    `address_erased` signal) whatever other apps hold for it.

    The suppression list is kept: it exists so the address gets no more mail.
    A message a worker is handing over right now may still arrive; its row is
    gone, so nothing records it. Returns the number of outbox rows deleted.
    """
    address = normalize_address(email)
    deleted, _ = OutboundEmail.objects.filter(recipient=address).delete()
    SendAllowance.objects.filter(email=address).delete()
    signals.address_erased.send(sender=OutboundEmail, email=address)
    return deleted


def allow_send(*, email: str, purpose: str, per: int = 3600) -> bool:
    """Take the address's one allowance for `purpose` per `per` seconds.

    Returns True for exactly one caller in any window of `per` seconds, across
    threads and processes: the allowance is one row, updated only if it has
    expired (the row lock serialises racers) or inserted under a unique
    constraint (one racer wins). Call it before queueing the mail it guards.
    """
    address = normalize_address(email)
    now = clock.now()
    cutoff = now - dt.timedelta(seconds=per)
    with transaction.atomic():
        if SendAllowance.objects.filter(
            email=address, purpose=purpose, granted_at__lte=cutoff
        ).update(granted_at=now):
            return True
        try:
            with transaction.atomic():
                SendAllowance.objects.create(
                    email=address, purpose=purpose, granted_at=now
                )
        except IntegrityError:
            return False
    return True


@transaction.atomic
def retry_email(*, email: OutboundEmail) -> OutboundEmail:
    """Send a failed or unknown message again, with the same Message-ID.

    For the operator, after checking that the reader did not get it (an
    "unknown" message may have arrived). The attempt counter keeps counting,
    so a message already at MAILING_MAX_ATTEMPTS gets this one try. Receivers
    that drop repeated Message-IDs will drop a second copy.
    """
    updated = OutboundEmail.objects.filter(
        pk=email.pk, status__in=[Status.FAILED, Status.UNKNOWN]
    ).update(
        status=Status.QUEUED,
        next_attempt_at=clock.now(),
        enqueued_at=clock.now(),
        handed_over_at=None,
    )
    if not updated:
        raise MailingError("only failed or unknown messages can be sent again")
    delivery.enqueue_on_commit(email.pk)
    email.refresh_from_db()
    return email


@transaction.atomic
def mark_email_sent(*, email: OutboundEmail) -> OutboundEmail:
    """Record that an "unknown" message did arrive (the operator checked)."""
    updated = OutboundEmail.objects.filter(pk=email.pk, status=Status.UNKNOWN).update(
        status=Status.SENT, sent_at=email.handed_over_at or clock.now()
    )
    if not updated:
        raise MailingError("only unknown messages can be marked as sent")
    email.refresh_from_db()
    return email


@transaction.atomic
def prune_outbox(*, days: int, dry_run: bool = False) -> int:
    """Delete finished messages (sent, failed, suppressed) created over `days` ago.

    Queued, sending and unknown rows are never pruned. A pruned row no longer
    blocks its dedupe key, so callers must not reuse keys across that span.
    Returns the number of rows deleted (or that would be, with `dry_run`).
    """
    cutoff = clock.now() - dt.timedelta(days=days)
    old = OutboundEmail.objects.filter(
        created_at__lt=cutoff,
        status__in=[Status.SENT, Status.FAILED, Status.SUPPRESSED],
    )
    if dry_run:
        return old.count()
    deleted, _ = old.delete()
    return deleted


@transaction.atomic
def withdraw_queued(*, email: str, dedupe_prefix: str) -> int:
    """Stop the queued messages to an address whose dedupe key starts with
    `dedupe_prefix` (a reader left a list while a send to it runs).

    They end as "suppressed" (not sent at the reader's wish) and no worker
    claims them any more; a message already being handed over may still
    arrive. Other mail to the address is untouched. Returns rows withdrawn.
    """
    if not dedupe_prefix:
        raise MailingError("dedupe_prefix must not be empty")
    return OutboundEmail.objects.filter(
        recipient=normalize_address(email),
        dedupe_key__startswith=dedupe_prefix,
        status=Status.QUEUED,
    ).update(status=Status.SUPPRESSED)
