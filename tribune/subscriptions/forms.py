"""HTML forms of the subscriptions app; the services do the real validation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tribune.subscriptions.models import Delivery, Scope

# The bar offers the two scopes a reader picks above the comments.
BAR_SCOPES = [
    (Scope.THREAD.value, _("new follow-up comments")),
    (Scope.MY_REPLIES.value, _("new replies to my comments")),
]


class SubscribeForm(forms.Form):
    """The subscribe bar above the comments; guests also give an address."""

    scope = forms.ChoiceField(
        label=_("Notify of"), choices=BAR_SCOPES, initial=Scope.THREAD.value
    )
    delivery = forms.ChoiceField(
        label=_("How often"), choices=Delivery.choices, initial=Delivery.INSTANT
    )
    email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:
            del self.fields["email"]


class ManageLinkForm(forms.Form):
    """An address that wants the link to its subscriptions."""

    email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
