"""Moderators' ban pages in the Wagtail admin: list, create, edit, lift.

Every view sits behind moderation_views.moderator_required.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tribune.core import clock
from tribune.core.converters import parse_id
from tribune.discussion import bans, networks, selectors
from tribune.discussion.errors import DiscussionError
from tribune.discussion.models import Ban, BanMode, Comment
from tribune.discussion.moderation_views import QUEUE_PAGE_SIZE, moderator_required


class BanTermsForm(forms.Form):
    """How a ban acts, why, and for how long."""

    mode = forms.ChoiceField(
        label=gettext_lazy("What happens to their comments"),
        choices=BanMode.choices,
        widget=forms.RadioSelect,
        initial=BanMode.SHADOW,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (kept in the moderation log)"), max_length=300
    )
    days = forms.IntegerField(
        label=gettext_lazy("Days from now (empty: until lifted)"),
        required=False,
        min_value=1,
        max_value=3650,
    )

    def expires_at(self) -> dt.datetime | None:
        days = self.cleaned_data.get("days")
        return clock.now() + dt.timedelta(days=days) if days else None


class BanForm(BanTermsForm):
    """Who is banned: any of an account, an address, a guest browser, a range."""

    account = forms.CharField(
        label=gettext_lazy("Account (user name)"), required=False, max_length=150
    )
    email = forms.EmailField(label=gettext_lazy("Email address"), required=False)
    guest_token = forms.CharField(
        label=gettext_lazy("Guest browser (token)"), required=False, max_length=64
    )
    network = forms.CharField(
        label=gettext_lazy("IP address or range"),
        required=False,
        max_length=64,
        help_text=gettext_lazy(
            "IPv4 address or CIDR range (203.0.113.0/24); IPv6 ranges of /64 or"
            " wider (an IPv6 address bans its /64)."
        ),
    )

    field_order = ["account", "email", "guest_token", "network", "mode", "reason"]

    def clean_account(self) -> Any:
        name = self.cleaned_data.get("account", "").strip()
        if not name:
            return None
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("There is no account with this name."))
        return user

    def clean_network(self) -> str:
        raw = self.cleaned_data.get("network", "")
        if not raw.strip():
            return ""
        try:
            return networks.normalise(raw)
        except networks.NetworkError:
            raise forms.ValidationError(
                _("Give an IPv4 address or range, or an IPv6 range of /64 or wider.")
            ) from None


def _initial_from(comment: Comment) -> dict[str, Any]:
    return {
        "account": comment.author.get_username() if comment.author else "",
        "email": comment.author_email,
        "guest_token": comment.guest_token,
        "network": networks.for_address(comment.ip_address)
        if comment.ip_address
        else "",
    }


@require_GET
@moderator_required
def ban_list(request: HttpRequest) -> HttpResponse:
    """Current bans, or (?lifted=1) lifted and expired ones."""
    lifted = request.GET.get("lifted") == "1"
    page = Paginator(selectors.list_bans(lifted=lifted), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    return render(
        request, "discussion/admin/bans.html", {"page_obj": page, "lifted": lifted}
    )


@require_http_methods(["GET", "POST"])
@moderator_required
def ban_create(request: HttpRequest) -> HttpResponse:
    """A new ban, filled in from a comment's author when `?comment=<id>` is given."""
    comment_id = parse_id(request.GET.get("comment"))
    comment = (
        get_object_or_404(Comment.objects.select_related("author"), pk=comment_id)
        if comment_id is not None
        else None
    )
    initial = _initial_from(comment) if comment else {}
    form = BanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bans.ban_poster(
                moderator=request.user,  # type: ignore[arg-type]
                reason=data["reason"],
                mode=data["mode"],
                expires_at=form.expires_at(),
                user=data["account"],
                email=data["email"],
                guest_token=data["guest_token"],
                network=data["network"],
            )
        except DiscussionError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
        else:
            messages.success(request, _("Ban saved."))
            return HttpResponseRedirect(reverse("discussion_moderation:bans"))
    return render(
        request,
        "discussion/admin/ban_form.html",
        {"form": form, "comment": comment, "ban": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@moderator_required
def ban_edit(request: HttpRequest, ban_id: int) -> HttpResponse:
    """Change a ban's mode, reason or end; shows its log."""
    ban = get_object_or_404(Ban, pk=ban_id)
    initial: dict[str, Any] = {"mode": ban.mode, "reason": ban.reason}
    if ban.expires_at is not None:
        left = ban.expires_at - clock.now()
        initial["days"] = max(1, round(left / dt.timedelta(days=1)))
    form = BanTermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            bans.update_ban(
                ban=ban,
                moderator=request.user,  # type: ignore[arg-type]
                mode=form.cleaned_data["mode"],
                reason=form.cleaned_data["reason"],
                expires_at=form.expires_at(),
            )
        except DiscussionError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
        else:
            messages.success(request, _("Ban saved."))
            return HttpResponseRedirect(reverse("discussion_moderation:bans"))
    return render(
        request,
        "discussion/admin/ban_form.html",
        {
            "form": form,
            "ban": ban,
            "log": ban.moderation_actions.select_related("moderator")[:50],
        },
        status=400 if form.errors else 200,
    )


@require_POST
@moderator_required
def ban_lift(request: HttpRequest, ban_id: int) -> HttpResponse:
    """End a ban now."""
    ban = get_object_or_404(Ban, pk=ban_id)
    bans.lift_ban(
        ban=ban,
        moderator=request.user,  # type: ignore[arg-type]
        note=request.POST.get("note", ""),
    )
    messages.success(request, _("Ban lifted."))
    return HttpResponseRedirect(reverse("discussion_moderation:bans"))


urlpatterns = [
    path("bans/", ban_list, name="bans"),
    path("bans/new/", ban_create, name="ban_create"),
    path("bans/<id:ban_id>/", ban_edit, name="ban_edit"),
    path("bans/<id:ban_id>/lift/", ban_lift, name="ban_lift"),
]
