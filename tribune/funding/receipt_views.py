"""Receipts, yearly statements and managing a monthly gift, by signed link.

No login: the link itself (funding/receipts.py) is the key. A bad or expired
link gets a 404 page that says so; nothing about the ledger is revealed.
"""

from __future__ import annotations

import logging

import stripe
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tribune.funding import conf, donor_selectors, pdf, receipts
from tribune.funding.donor_selectors import Gift
from tribune.funding.providers import stripe as stripe_provider
from tribune.funding.providers import stripe_api

logger = logging.getLogger(__name__)


def _gift(token: str) -> Gift:
    try:
        gift = donor_selectors.get_receipt(receipts.read_receipt_token(token))
    except receipts.LinkError:
        raise Http404(_("This receipt link is not valid or has expired.")) from None
    if gift is None:
        raise Http404(_("This receipt link is not valid or has expired."))
    return gift


def _statement(token: str) -> donor_selectors.Statement:
    try:
        key = receipts.read_statement_token(token)
    except receipts.LinkError:
        raise Http404(_("This statement link is not valid or has expired.")) from None
    return donor_selectors.get_statement(key.email, key.year)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _private(response: HttpResponse) -> HttpResponse:
    # A receipt names a person: never cached by a shared cache, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    gift = _gift(token)
    context = {
        "gift": gift,
        "token": token,
        "issuer": conf.organisation(),
        "statement_url": receipts.statement_url(gift.email, gift.received_at.year)
        if gift.email
        else "",
        "portal": gift.manage == donor_selectors.MANAGE_STRIPE_PORTAL
        and stripe_provider.is_configured(),
    }
    return _private(render(request, "funding/receipt.html", context))


@require_GET
def receipt_pdf(request: HttpRequest, token: str) -> HttpResponse:
    gift = _gift(token)
    content = pdf.receipt(gift, issuer=conf.organisation())
    return _private(_pdf(content, f"receipt-{gift.id}.pdf"))


@require_GET
def statement(request: HttpRequest, token: str) -> HttpResponse:
    found = _statement(token)
    context = {"statement": found, "token": token, "issuer": conf.organisation()}
    return _private(render(request, "funding/statement.html", context))


@require_GET
def statement_pdf(request: HttpRequest, token: str) -> HttpResponse:
    found = _statement(token)
    content = pdf.statement(found, issuer=conf.organisation())
    return _private(_pdf(content, f"statement-{found.year}.pdf"))


@require_POST
def manage_gift(request: HttpRequest, token: str) -> HttpResponse:
    """Open Stripe's customer portal for a monthly card gift (update or stop it)."""
    gift = _gift(token)
    if gift.manage != donor_selectors.MANAGE_STRIPE_PORTAL:
        raise Http404(_("This gift is not managed here."))
    customer = donor_selectors.customer_of(gift.id)
    try:
        url = stripe_api.create_portal_session(
            customer=customer,
            return_url=request.build_absolute_uri(
                reverse("funding:receipt", args=[token])
            ),
        )
    except stripe.StripeError as exc:
        logger.error("Stripe portal session failed: %s", exc)
        context = {
            "gift": gift,
            "token": token,
            "issuer": conf.organisation(),
            "portal": True,
            "portal_error": _(
                "The payment provider could not be reached; please try again later."
            ),
        }
        return _private(render(request, "funding/receipt.html", context, status=503))
    return HttpResponseRedirect(url, status=303)
