"""Reads of the mailing app: the outbox and suppression list of one address."""

from __future__ import annotations

from django.db.models import QuerySet

from tribune.mailing.addresses import normalize_address
from tribune.mailing.models import OutboundEmail, Suppression


def list_mail_log(email: str) -> QuerySet[OutboundEmail]:
    """The outbox rows of an address, oldest first: the log of mail sent to it."""
    return OutboundEmail.objects.filter(recipient=normalize_address(email)).order_by(
        "created_at", "pk"
    )


def get_suppression(email: str) -> Suppression | None:
    """The suppression of an address (it gets no mail), or None."""
    return Suppression.objects.filter(email=normalize_address(email)).first()
