"""Reader views: the sign-up form and the pages the links in newsletter mail open.

Confirming and unsubscribing change nothing on GET (mail scanners open every
link); each shows a page with one button that POSTs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tribune.core import ratelimit
from tribune.discussion import identity
from tribune.newsletter import conf, services, tokens
from tribune.newsletter.forms import WHAT_ALL, SignupForm
from tribune.newsroom.models import SeriesPage

_TOO_MANY = _(
    "Too many sign-ups from your network in the last hour. Please try again later."
)


def _form(data: Any = None) -> SignupForm:
    """The full form of the sign-up page: it lists only public series."""
    form = SignupForm(data, auto_id="nl_%s")
    form.fields["series"].queryset = (  # type: ignore[attr-defined]
        SeriesPage.objects.live().public().order_by("path")
    )
    return form


def _allow(request: HttpRequest) -> bool:
    return ratelimit.hit(
        scope="newsletter.signup.ip",
        key=ratelimit.client_key(identity.client_ip(request)),
        limit=conf.signups_per_ip_per_hour(),
        window=3600,
    )


# No CSRF token: the box sits on the home, series and report pages, and a token
# would set a cookie that keeps nginx's micro-cache (and any CDN) from storing
# them. A forged sign-up can do nothing the forger could not do directly: it uses
# no session or account, only asks for a confirmation mail (double opt-in), and
# is rate-limited per network like any other.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """ "Get our reports by email". The answer is the same whether or not the
    address is subscribed already, so the form tells nobody who follows."""
    if request.method == "GET":
        return render(
            request,
            "newsletter/signup.html",
            {"form": _form(), "sent": "sent" in request.GET},
        )
    form = _form(request.POST)
    if not _allow(request):
        form.is_valid()
        form.add_error(None, _TOO_MANY)
        return render(request, "newsletter/signup.html", {"form": form}, status=429)
    if form.is_valid():
        data = form.cleaned_data
        everything = data["what"] == WHAT_ALL
        try:
            services.request_signup(
                email=data["email"],
                everything=everything,
                series_ids=[s.pk for s in data["series"]],
                topic_ids=[t.pk for t in data["topics"]],
                frequency=data["frequency"],
            )
        except services.NewsletterError as error:
            form.add_error(None, error.message)
        else:
            return HttpResponseRedirect(
                f"{reverse('newsletter:signup')}?sent=1", status=303
            )
    return render(request, "newsletter/signup.html", {"form": form}, status=400)


def _link_problem(
    request: HttpRequest, error: tokens.LinkError, what: str
) -> HttpResponse:
    return render(
        request,
        "newsletter/link_problem.html",
        {"expired": error.expired, "what": what, "days": conf.confirm_days()},
        status=400,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Show what a confirmation link subscribes to; the button subscribes."""
    try:
        choices = tokens.read_confirm_token(
            token, max_age=dt.timedelta(days=conf.confirm_days())
        )
    except tokens.LinkError as error:
        return _link_problem(request, error, "confirm")
    context = {"choices": choices, "token": token}
    if request.method == "POST":
        try:
            context["subscriber"] = services.confirm_signup(choices=choices)
        except services.NewsletterError:
            return _link_problem(request, tokens.LinkError(expired=False), "confirm")
        context["preferences_url"] = conf.preferences_path()
        return render(request, "newsletter/confirmed.html", context)
    return render(request, "newsletter/confirm.html", context)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (RFC 8058): POST removes, GET shows the button.

    CSRF-exempt and without any session: the mail client POSTs
    `List-Unsubscribe=One-Click` with no cookies. The signed token is the only
    credential, and it can only remove. A repeated POST succeeds.
    """
    try:
        email = tokens.read_unsubscribe_token(token)
    except tokens.LinkError as error:
        return _link_problem(request, error, "unsubscribe")
    if request.method == "POST":
        services.unsubscribe(email=email)
        return render(request, "newsletter/unsubscribed.html", {"token": token})
    return render(request, "newsletter/unsubscribe.html", {"token": token})
