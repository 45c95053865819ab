"""Reader pages of funding: the donate page, thanks, the supporters' wall, the embed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import stripe
from csp.decorators import csp_replace
from django.conf import settings as django_settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods

from tribune.core import clock
from tribune.funding import conf, display, fees, money, paylinks, selectors
from tribune.funding.forms import DonateForm, parse_presets
from tribune.funding.models import FundingSettings
from tribune.funding.providers import stripe as stripe_provider
from tribune.funding.providers import stripe_api

logger = logging.getLogger(__name__)
# The ways to pay whose fee the donor can cover: the amount goes with the reader.
FEE_COVERED = {"stripe", "paypal"}


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
        offered.append(("bank", _("Bank transfer")))
    return offered


@dataclass(frozen=True)
class FeeQuote:
    """What covering the fees adds for one way to pay, shown before paying."""

    provider: str
    label: str
    percent: Decimal
    fixed: Decimal
    cover: str
    total: str


def _fee_quotes(
    amount: Decimal | None, currency: str, providers: list[tuple[str, str]]
) -> list[FeeQuote]:
    rules = conf.fees()
    locale = display.active_locale()
    places = money.exponent(currency)
    quotes = []
    for name, label in providers:
        if name not in rules or name not in FEE_COVERED:
            continue
        rule = fees.FeeRule(*rules[name])
        cover = fees.cover_for(amount, rule, places=places) if amount else Decimal(0)
        quotes.append(
            FeeQuote(
                provider=name,
                label=label,
                percent=rule.percent,
                fixed=rule.fixed,
                cover=money.format_exact(cover, currency, locale),
                total=money.format_exact((amount or 0) + cover, currency, locale),
            )
        )
    return quotes


def _cover(data: dict[str, Any], provider: str, currency: str) -> Decimal:
    rule = conf.fees().get(provider)
    if not data.get("cover_fees") or rule is None or provider not in FEE_COVERED:
        return Decimal(0)
    return fees.cover_for(
        data["value"], fees.FeeRule(*rule), places=money.exponent(currency)
    )


def _go_pay(
    request: HttpRequest,
    form: DonateForm,
    site_settings: FundingSettings,
    currency: str,
) -> HttpResponse | None:
    """Send the reader to the chosen way to pay, with their amount where it goes.

    None for a bank transfer (the page shows the details with the reader's
    choice) or when Stripe fails (the form says so).
    """
    data = form.cleaned_data
    choice = data["provider"]
    cover = _cover(data, choice, currency)
    if choice == "paypal":
        return HttpResponseRedirect(
            paylinks.paypal_link(
                site_settings.paypal_url, data["value"] + cover, currency
            )
        )
    if choice == "patreon":
        return HttpResponseRedirect(site_settings.patreon_url)
    if choice != "stripe":
        return None
    try:
        url = stripe_api.create_checkout_session(
            amount=data["value"],
            currency=currency,
            recurring=data["frequency"] == "monthly",
            success_url=request.build_absolute_uri(reverse("funding:thanks"))
            + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=request.build_absolute_uri(reverse("funding:donate")),
            metadata={**_wall_metadata(data), **_badge_metadata(data)},
            cover_fee=cover,
        )
    except stripe.StripeError as exc:
        logger.error("Stripe Checkout Session failed: %s", exc)
        form.add_error(
            None,
            _("Card payments are unavailable right now; please try again later."),
        )
        return None
    return HttpResponseRedirect(url, status=303)


@require_http_methods(["GET", "POST"])
def donate(request: HttpRequest) -> HttpResponse:
    """Choose an amount and a way to pay; every configured way is offered.

    The reader's amount and frequency are never dropped: they go to Stripe
    Checkout or PayPal, and a bank transfer shows them beside the details.
    """
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
    chosen: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        response = _go_pay(request, form, site_settings, currency)
        if response is not None:
            return response
        if not form.errors:
            chosen = {
                **form.cleaned_data,
                "shown": money.format_exact(
                    form.cleaned_data["value"], currency, display.active_locale()
                ),
            }
    amount = getattr(form, "cleaned_data", {}).get("value") or _initial(form)
    context: dict[str, Any] = {
        "form": form,
        "settings_": site_settings,
        "providers": providers,
        "offered": {name for name, _label in providers},
        "stripe_missing": stripe_provider.missing_settings(),
        "show_setup_help": request.user.is_staff
        or django_settings.DEBUG
        or conf.setup_help(),
        "campaign": campaign,
        "chosen": chosen,
        "fee_quotes": _fee_quotes(amount, currency, providers),
        "currency": currency,
    }
    response = render(request, "funding/donate.html", context)
    # The form's answer may redirect to the editor's PayPal or Patreon link:
    # the browser follows it only when form-action names that origin.
    origins = paylinks.origins(site_settings.paypal_url, site_settings.patreon_url)
    if origins:
        response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
    return response


def _initial(form: DonateForm) -> Decimal | None:
    initial = form.fields["amount"].initial
    try:
        return Decimal(str(initial)) if initial else None
    except ArithmeticError:
        return None


def _wall_metadata(data: dict[str, Any]) -> dict[str, str]:
    show = bool(data.get("show_on_wall"))
    return {
        "public_name": data.get("public_name", "") if show else "",
        "message": data.get("message", "") if show else "",
        "show_on_wall": "1" if show else "0",
    }


def _badge_metadata(data: dict[str, Any]) -> dict[str, str]:
    # The time of the choice travels too: a monthly gift's later payments repeat
    # it, and must not undo a choice the donor made since on Your page.
    return {
        "show_badge": "1" if data.get("show_badge") else "0",
        "badge_chosen_at": str(int(clock.now().timestamp())),
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
