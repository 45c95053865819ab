"""Reader views: subscribe, and the pages the links in subscription mail open.

Confirming and unsubscribing change nothing on GET (mail scanners open every
link); each shows a page with one button that POSTs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tribune.core import clock
from tribune.discussion import identity
from tribune.discussion import selectors as discussion_selectors
from tribune.discussion import services as discussion_services
from tribune.discussion.models import SiteCommentsMode
from tribune.newsroom.models import DISCUSSED_PAGE_TYPES, DiscussedPage
from tribune.subscriptions import conf, selectors, services, throttle, tokens
from tribune.subscriptions.emails import describe
from tribune.subscriptions.forms import ManageLinkForm, SubscribeForm
from tribune.subscriptions.models import Scope

_TOO_MANY = _(
    "Too many requests from your network in the last hour. Please try again later."
)


def _article(page_id: int, request: HttpRequest) -> DiscussedPage:
    page: DiscussedPage | None = None
    for model in DISCUSSED_PAGE_TYPES:
        page = page or model.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404("No such report.")
    rules = discussion_selectors.get_settings_for_request(request)
    if discussion_selectors.get_state(page, rules) == SiteCommentsMode.HIDDEN:
        raise Http404("Comments on this report are hidden.")
    return page


def _link_problem(
    request: HttpRequest, error: tokens.LinkError, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "subscriptions/link_problem.html",
        {"expired": error.expired, **extra},
        status=400,
    )


def _listed(subscriptions: Any) -> list[dict[str, Any]]:
    return [{"item": s, "text": describe(s)} for s in subscriptions]


# Carries the address from a successful subscribe POST to the page its 303 leads
# to, so that reloading that page does not subscribe again; never in the URL.
_REQUESTED_COOKIE = "tribune_subscribed"
_REQUESTED_SALT = "tribune.subscriptions.requested"
_REQUESTED_SECONDS = 600


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, page_id: int) -> HttpResponseBase:
    """The subscribe bar: guests get a confirmation mail, accounts are subscribed.

    A GET shows what the last successful POST from this browser asked for.
    """
    page = _article(page_id, request)
    user = request.user if request.user.is_authenticated else None
    if request.method == "GET":
        email = request.get_signed_cookie(
            _REQUESTED_COOKIE,
            default="",
            salt=_REQUESTED_SALT,
            max_age=_REQUESTED_SECONDS,
        )
        if not email:
            return HttpResponseRedirect(page.get_url(request), status=303)
        return render(
            request,
            "subscriptions/requested.html",
            {"article": page, "email": email, "guest": user is None},
        )
    form = SubscribeForm(request.POST, signed_in=user is not None, auto_id="sub_%s")
    if not throttle.allow_request(ip=identity.client_ip(request)):
        form.is_valid()
        form.add_error(None, _TOO_MANY)
        return render(
            request,
            "subscriptions/subscribe.html",
            {"article": page, "form": form},
            status=429,
        )
    if form.is_valid():
        data = form.cleaned_data
        email = getattr(user, "email", "") if user is not None else data["email"]
        try:
            if user is not None and not email:
                raise services.SubscriptionError(
                    "Your account has no email address; add one to subscribe."
                )
            scope = data["scope"]
            services.subscribe(
                email=email,
                scope=scope,
                delivery=data["delivery"],
                thread=discussion_services.get_or_create_thread(article=page)
                if scope == Scope.THREAD
                else None,
                user=user,
            )
        except services.SubscriptionError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            response = HttpResponseRedirect(request.path, status=303)
            response.set_signed_cookie(
                _REQUESTED_COOKIE,
                email,
                salt=_REQUESTED_SALT,
                max_age=_REQUESTED_SECONDS,
                path=request.path,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
            return response
    return render(
        request,
        "subscriptions/subscribe.html",
        {"article": page, "form": form},
        status=400,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Show what a confirmation link confirms; the button confirms it."""
    days = conf.confirm_days()
    try:
        email = tokens.read_confirm_token(token, max_age=dt.timedelta(days=days))
    except tokens.LinkError as error:
        return _link_problem(request, error, days=days, what="confirm")
    pending = list(selectors.pending_subscriptions(email, now=clock.now()))
    context: dict[str, Any] = {
        "email": email,
        "pending": _listed(pending),
        "token": token,
    }
    if request.method == "POST":
        confirmed = services.confirm_address(email=email)
        context["confirmed"] = confirmed
        context["manage_token"] = tokens.manage_token(email)
        return render(request, "subscriptions/confirmed.html", context)
    return render(request, "subscriptions/confirm.html", context)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (RFC 8058): POST removes, GET shows the button.

    CSRF-exempt and without any session: the mail client POSTs
    `List-Unsubscribe=One-Click` with no cookies. The signed token is the
    only credential, and it can only remove subscriptions.
    """
    try:
        wanted = tokens.read_unsubscribe_token(token)
    except tokens.LinkError as error:
        return _link_problem(request, error, what="unsubscribe")
    context: dict[str, Any] = {"digest": wanted.digest, "token": token}
    if request.method == "POST":
        context["removed"] = services.unsubscribe(request=wanted)
        context["manage_token"] = tokens.manage_token(wanted.email)
        return render(request, "subscriptions/unsubscribed.html", context)
    return render(request, "subscriptions/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Every subscription of the address the signed link was mailed to."""
    days = conf.manage_link_days()
    try:
        email = tokens.read_manage_token(token, max_age=dt.timedelta(days=days))
    except tokens.LinkError as error:
        return _link_problem(request, error, days=days, what="manage")
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove == "all":
            services.remove_all_subscriptions(email=email)
        elif remove.isdigit():
            services.remove_subscription(email=email, subscription_id=int(remove))
        return HttpResponseRedirect(request.path, status=303)
    return render(
        request,
        "subscriptions/manage.html",
        {"email": email, "subscriptions": _listed(selectors.list_subscriptions(email))},
    )


@require_http_methods(["GET", "POST"])
def request_manage_link(request: HttpRequest) -> HttpResponse:
    """Ask for the link to one's subscriptions by typing the address.

    The answer is the same whether or not the address has subscriptions, so
    the page cannot be used to learn who subscribed.
    """
    form = ManageLinkForm(request.POST or None)
    if request.method == "POST" and not throttle.allow_request(
        ip=identity.client_ip(request)
    ):
        form.is_valid()
        form.add_error(None, _TOO_MANY)
        return render(
            request, "subscriptions/request_link.html", {"form": form}, status=429
        )
    if request.method == "POST" and form.is_valid():
        services.request_manage_link(email=form.cleaned_data["email"])
        return render(
            request,
            "subscriptions/link_requested.html",
            {"email": form.cleaned_data["email"]},
        )
    return render(
        request,
        "subscriptions/request_link.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
