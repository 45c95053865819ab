"""The only module that queues funding's mail: thanks with the receipt, a failed card.

Mail goes through the mailing app's outbox (queue_email), inside the caller's
transaction: a rolled-back webhook sends nothing, and a replayed event finds the
message already queued under the same dedupe key.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from tribune.funding import conf, receipts
from tribune.funding.models import Donation, Provider
from tribune.mailing import services as mailing

# Payments a provider confirmed by webhook; manual entries and imports get no mail.
CONFIRMED_BY_WEBHOOK = {Provider.STRIPE, Provider.PAYPAL, Provider.PATREON}


def your_page_url() -> str:
    """ "Your page" (/me/), by its URL name when the self-service app is installed."""
    try:
        return receipts.absolute(reverse("selfservice:start"))
    except NoReverseMatch:
        return receipts.absolute("/me/")


def _queue(*, to: str, template: str, context: dict[str, Any], dedupe_key: str) -> None:
    context = {
        **context,
        "site_name": conf.organisation(),
        "your_page_url": your_page_url(),
    }
    with translation.override(translation.get_language() or "en"):
        subject = render_to_string(f"funding/mail/{template}_subject.txt", context)
        text = render_to_string(f"funding/mail/{template}.txt", context)
        html = render_to_string(f"funding/mail/{template}.html", context)
    mailing.queue_email(
        to=to,
        subject=" ".join(subject.split()),
        text=text,
        html=html,
        dedupe_key=dedupe_key,
    )


def thank_donor(donation: Donation) -> None:
    """Thank the donor for a confirmed gift, with its receipt and "Your page"."""
    if donation.provider not in CONFIRMED_BY_WEBHOOK or not donation.email:
        return
    _queue(
        to=donation.email,
        template="thanks",
        context={
            "donation": donation,
            "receipt_url": receipts.absolute(receipts.receipt_url(donation)),
        },
        dedupe_key=f"funding-thanks:{donation.provider}:{donation.pk}",
    )


def card_failed(donation: Donation, *, update_url: str) -> None:
    """Tell a monthly donor their card was declined and where to update it."""
    if not donation.email:
        return
    _queue(
        to=donation.email,
        template="card_failed",
        context={
            "donation": donation,
            "update_url": update_url,
            "manage_url": receipts.absolute(receipts.receipt_url(donation)),
        },
        dedupe_key=f"funding-card-failed:{donation.provider}:{donation.pk}",
    )
