"""Reader account pages: sign up, confirm by emailed link, sign in and out."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import login, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from tribune.discussion import identity, selectors
from tribune.discussion.errors import DiscussionError
from tribune.discussion.services import accounts


class SignupForm(forms.Form):
    """Only the address: name and password are chosen after the link is opened."""

    email = forms.EmailField(
        label=_("Email"),
        help_text=_("For signing in and the confirmation link; never shown."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class ConfirmForm(forms.Form):
    """Name shown with comments and password, chosen by whoever owns the inbox."""

    name = forms.CharField(label=_("Name shown with your comments"), max_length=80)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common one."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if "@" in name:
            raise forms.ValidationError(
                _("Please do not use an email address as name.")
            )
        return name

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password"):
            try:
                password_validation.validate_password(data["password"])
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


def _next(request: HttpRequest, raw: str | None) -> str:
    if raw and url_has_allowed_host_and_scheme(raw, allowed_hosts={request.get_host()}):
        return raw
    return "/"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponseBase:
    """Mail a confirmation link; the answer never tells whether the address is known."""
    form = SignupForm(request.POST or None, initial={"next": request.GET.get("next")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            accounts.register_reader(
                email=form.cleaned_data["email"],
                base_url=settings.WAGTAILADMIN_BASE_URL,
                ip=identity.client_ip(request),
                rules=selectors.get_settings_for_request(request),
            )
        except DiscussionError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            return render(
                request,
                "discussion/account/sent.html",
                {"email": form.cleaned_data["email"]},
            )
    if form.errors and status == 200:
        status = 400
    return render(
        request, "discussion/account/signup.html", {"form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponseBase:
    """Choose name and password, then press the button.

    Mail scanners open links; only people press buttons, so only POST activates.
    """
    if accounts.check_confirm_link(uidb64=uidb64, token=token) is None:
        return render(request, "discussion/account/bad_link.html", status=400)
    form = ConfirmForm(request.POST or None, initial={"next": request.GET.get("next")})
    if request.method == "POST" and form.is_valid():
        user = accounts.confirm_reader(
            uidb64=uidb64,
            token=token,
            name=form.cleaned_data["name"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            return render(request, "discussion/account/bad_link.html", status=400)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponseRedirect(_next(request, form.cleaned_data["next"]))
    return render(
        request,
        "discussion/account/confirm.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


class SignInForm(AuthenticationForm):
    """Readers sign in with their email address, typed in any case."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")

    def clean_username(self) -> str:
        return str(self.cleaned_data.get("username", "")).strip().lower()


class SignInView(auth_views.LoginView):
    template_name = "discussion/account/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


sign_in = SignInView.as_view()
sign_out = auth_views.LogoutView.as_view(next_page="/")
