"""Reader pages of funding: the donate page, thanks, the supporters' wall, the embed."""

from __future__ import annotations

import logging
from typing import Any

import stripe
from csp.decorators import csp_replace
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods

from tribune.core import clock
from tribune.funding import conf, display, selectors
from tribune.funding.forms import DonateForm, parse_presets
from tribune.funding.models import FundingSettings
from tribune.funding.providers import stripe as stripe_provider
from tribune.funding.providers import stripe_api

logger = logging.getLogger(__name__)


def _providers(settings_: FundingSettings) -> list[tuple[str, str]]:
    """The ways to pay the site offers; one without its secrets or link is left out."""
    offered = []
    if stripe_provider.is_configured():
        offered.append(("stripe", _("Card (Stripe)")))
    if settings_.paypal_url:
        offered.append(("paypal", "PayPal"))
    if settings_.patreon_url:
        offered.append(("patreon", _("Patreon (monthly)")))
    if settings_.bank_instructions:
        offered.append(("bank", _("Bank transfer and other ways")))
    return offered


@require_http_methods(["GET", "POST"])
def donate(request: HttpRequest) -> HttpResponse:
    """Choose an amount and a way to pay; card payments go to Stripe Checkout."""
    site_settings = FundingSettings.for_request(request)
    campaign = selectors.get_active_campaign()
    currency = campaign.currency if campaign else conf.default_currency()
    providers = _providers(site_settings)
    form = DonateForm(
        request.POST or None,
        presets=parse_presets(site_settings.preset_amounts),
        currency=currency,
        locale=display.active_locale(),
        providers=providers,
    )
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["provider"]
        if choice == "paypal":
            return HttpResponseRedirect(site_settings.paypal_url)
        if choice == "patreon":
            return HttpResponseRedirect(site_settings.patreon_url)
        if choice == "bank":
            return HttpResponseRedirect(reverse("funding:donate") + "#other-ways")
        try:
            url = stripe_api.create_checkout_session(
                amount=form.cleaned_data["value"],
                currency=currency,
                recurring=form.cleaned_data["frequency"] == "monthly",
                success_url=request.build_absolute_uri(reverse("funding:thanks"))
                + "?session_id={CHECKOUT_SESSION_ID}",
                cancel_url=request.build_absolute_uri(reverse("funding:donate")),
                metadata=_wall_metadata(form.cleaned_data),
            )
        except stripe.StripeError as exc:
            logger.error("Stripe Checkout Session failed: %s", exc)
            form.add_error(
                None,
                _("Card payments are unavailable right now; please try again later."),
            )
        else:
            return HttpResponseRedirect(url, status=303)
    context: dict[str, Any] = {
        "form": form,
        "settings_": site_settings,
        "providers": providers,
        "stripe_missing": stripe_provider.missing_settings(),
        "campaign": campaign,
    }
    return render(request, "funding/donate.html", context)


def _wall_metadata(data: dict[str, Any]) -> dict[str, str]:
    show = bool(data.get("show_on_wall"))
    return {
        "public_name": data.get("public_name", "") if show else "",
        "message": data.get("message", "") if show else "",
        "show_on_wall": "1" if show else "0",
    }


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    """Thank the reader; the ledger learns of the payment from the webhook."""
    return render(
        request,
        "funding/thanks.html",
        {"settings_": FundingSettings.for_request(request)},
    )


@require_GET
def wall(request: HttpRequest) -> HttpResponse:
    """The supporters' wall: opted-in names and messages, after moderation."""
    return render(
        request,
        "funding/wall.html",
        {"messages_": list(selectors.list_wall_messages())},
    )


@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request: HttpRequest) -> HttpResponse:
    """The bar alone, for an iframe on another site."""
    goal = selectors.get_bar_progress()
    bar = display.build_bar(goal, now=clock.now()) if goal else None
    return render(request, "funding/embed.html", {"bar": bar, "where": "embed"})
