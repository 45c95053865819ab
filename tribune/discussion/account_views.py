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

from tribune.discussion import accounts


class SignupForm(forms.Form):
    """Name shown with comments, email for sign-in (never shown), password."""

    name = forms.CharField(label=_("Name shown with your comments"), max_length=80)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("For signing in and the confirmation link; never shown."),
    )
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
    """Create an account; the same answer whether or not the address was known."""
    form = SignupForm(request.POST or None, initial={"next": request.GET.get("next")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accounts.register_reader(
            email=data["email"],
            name=data["name"],
            password=data["password"],
            base_url=settings.WAGTAILADMIN_BASE_URL,
        )
        return render(request, "discussion/account/sent.html", {"email": data["email"]})
    return render(
        request,
        "discussion/account/signup.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponseBase:
    """A page with one button: mail scanners open links, only people press it."""
    if request.method == "POST":
        user = accounts.confirm_reader(uidb64=uidb64, token=token)
        if user is None:
            return render(request, "discussion/account/bad_link.html", status=400)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponseRedirect(_next(request, request.POST.get("next")))
    return render(request, "discussion/account/confirm.html")


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
