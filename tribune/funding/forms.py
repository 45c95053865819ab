"""The donate form: amount (preset or custom), frequency, provider, wall opt-in."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tribune.funding import money

CUSTOM = "custom"
# Above this a reader is better served by a bank transfer and a conversation.
MAX_AMOUNT = Decimal("10000")


def parse_presets(text: str) -> list[Decimal]:
    """Read the editor's comma-separated preset amounts, skipping bad ones."""
    found = []
    for item in text.split(","):
        try:
            found.append(money.parse_amount(item))
        except money.MoneyError:
            continue
    return sorted(set(found))


class DonateForm(forms.Form):
    amount = forms.ChoiceField(label=_("Amount"), widget=forms.RadioSelect)
    custom_amount = forms.CharField(
        label=_("Other amount"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=[("once", _("Once")), ("monthly", _("Every month"))],
        initial="once",
        widget=forms.RadioSelect,
    )
    provider = forms.ChoiceField(label=_("Pay with"), widget=forms.RadioSelect)
    cover_fees = forms.BooleanField(
        label=_("Add the payment fees, so all of my gift reaches the newsroom"),
        required=False,
    )
    public_name = forms.CharField(
        label=_("Name on the supporters' wall"), required=False, max_length=80
    )
    message = forms.CharField(
        label=_("Message for the wall"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    show_on_wall = forms.BooleanField(
        label=_("Show my name and message on the supporters' wall"), required=False
    )
    show_badge = forms.BooleanField(
        label=_("Show a supporter badge next to my comments"),
        help_text=_("It never shows the amount; you can change it on Your page."),
        required=False,
        initial=True,
    )

    def __init__(
        self,
        *args: Any,
        presets: list[Decimal],
        currency: str,
        locale: str,
        providers: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        amount_field = self.fields["amount"]
        assert isinstance(amount_field, forms.ChoiceField)  # noqa: S101
        amount_field.choices = [
            (str(p), money.format_amount(p, currency, locale)) for p in presets
        ] + [(CUSTOM, _("Other"))]
        if presets:
            amount_field.initial = str(presets[len(presets) // 2])
        provider_field = self.fields["provider"]
        assert isinstance(provider_field, forms.ChoiceField)  # noqa: S101
        provider_field.choices = providers
        if providers:
            provider_field.initial = providers[0][0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("amount")
        if choice == CUSTOM:
            raw = data.get("custom_amount", "")
            if not raw:
                self.add_error("custom_amount", _("Enter an amount."))
                return data
            try:
                value = money.parse_amount(raw)
            except money.MoneyError:
                self.add_error(
                    "custom_amount", _("Enter an amount such as 12 or 12.50.")
                )
                return data
        elif choice:
            value = Decimal(choice)
        else:
            return data
        if value < 1:
            self.add_error("custom_amount", _("The smallest gift is 1."))
        elif value > MAX_AMOUNT:
            self.add_error(
                "custom_amount",
                _("For gifts above %(max)s please use a bank transfer.")
                % {"max": MAX_AMOUNT},
            )
        data["value"] = value
        return data
