"""Forms of the funding admin: manual entries, reversing entries, ledger filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tribune.funding import conf, display, money
from tribune.funding.models import Adjustment, Donation, Provider

MANUAL_METHODS = [
    (m.value, m.label)
    for m in Donation.Method
    if m.value in {"bank_transfer", "cheque", "crypto", "cash", "other"}
]


class ManualDonationForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    exchange_rate = forms.DecimalField(
        label=_("Exchange rate to the campaign currency"),
        required=False,
        max_digits=18,
        decimal_places=8,
        min_value=Decimal("0.00000001"),
        help_text=_("Only when the gift is in another currency."),
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(label=_("Method"), choices=MANUAL_METHODS)
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=120,
        help_text=_("Bank reference or cheque number; prevents entering it twice."),
    )
    public_name = forms.CharField(label=_("Public name"), required=False, max_length=80)
    email = forms.EmailField(label=_("Email (private)"), required=False)
    message = forms.CharField(
        label=_("Message"), required=False, max_length=1000, widget=forms.Textarea
    )
    show_on_wall = forms.BooleanField(label=_("Show on the wall"), required=False)
    note = forms.CharField(
        label=_("Internal note"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args: Any, ledger_currency: str, today: dt.date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.ledger_currency = ledger_currency
        self.today = today
        self.fields["currency"].initial = ledger_currency
        self.fields["received_on"].initial = today

    def clean_currency(self) -> str:
        value = str(self.cleaned_data["currency"]).upper()
        if not value.isalpha():
            raise forms.ValidationError(_("Use a three-letter code such as USD."))
        return value

    def clean_received_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["received_on"]
        if value > self.today:
            raise forms.ValidationError(_("A gift cannot be received in the future."))
        return value

    def clean_reference(self) -> str:
        value = str(self.cleaned_data.get("reference", "")).strip()
        if (
            value
            and Donation.objects.filter(
                provider=Provider.MANUAL, transaction_id=value
            ).exists()
        ):
            raise forms.ValidationError(
                _("A gift with this reference is already in the ledger.")
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        currency = data.get("currency")
        amount = data.get("amount")
        if currency and amount is not None:
            ceiling = money.max_amount(currency, conf.max_minor_units())
            if amount > ceiling:
                self.add_error(
                    "amount",
                    _("At most %(max)s in one entry.")
                    % {
                        "max": money.format_exact(
                            ceiling, currency, display.active_locale()
                        )
                    },
                )
        if (
            currency
            and currency != self.ledger_currency
            and not data.get("exchange_rate")
        ):
            self.add_error(
                "exchange_rate",
                _("Enter the rate from %(from)s to %(to)s.")
                % {"from": currency, "to": self.ledger_currency},
            )
        return data


class ReversalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Adjustment.Kind.REFUND.value, Adjustment.Kind.REFUND.label),
            (Adjustment.Kind.DISPUTE_LOST.value, Adjustment.Kind.DISPUTE_LOST.label),
        ],
    )
    amount = forms.DecimalField(
        label=_("Amount (in the gift's original currency)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )

    def __init__(self, *args: Any, donation: Donation, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.donation = donation
        self.fields["amount"].initial = donation.original_amount

    def clean_amount(self) -> Decimal:
        value: Decimal = self.cleaned_data["amount"]
        if value > self.donation.original_amount:
            raise forms.ValidationError(_("More than the gift itself."))
        return value


class LedgerFilterForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        required=False,
        # A month picker; HTML allows no placeholder on it.
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    provider = forms.ChoiceField(
        label=_("Provider"), required=False, choices=[("", _("All")), *Provider.choices]
    )
    method = forms.ChoiceField(
        label=_("Method"),
        required=False,
        choices=[("", _("All")), *Donation.Method.choices],
    )
    payment_status = forms.ChoiceField(
        label=_("Payment"),
        required=False,
        choices=[("", _("All")), *Donation.Status.choices],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def clean_month(self) -> dt.date | None:
        raw = str(self.cleaned_data.get("month") or "").strip()
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(f"{raw}-01")
        except ValueError:
            raise forms.ValidationError(_("Use YYYY-MM.")) from None
