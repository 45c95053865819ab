"""HTML forms of the newsletter; the services do the real validation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from tribune.newsletter.models import Frequency
from tribune.newsroom.models import SeriesPage

WHAT_ALL = "all"
WHAT_CHOSEN = "chosen"


class SignupForm(forms.Form):
    """ "Get our reports by email": an address, what, and how often."""

    email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    what = forms.ChoiceField(
        label=_("What"),
        choices=[
            (WHAT_ALL, _("Everything")),
            (WHAT_CHOSEN, _("Only what I tick")),
        ],
        initial=WHAT_ALL,
        widget=forms.RadioSelect,
    )
    series = forms.ModelMultipleChoiceField(
        label=_("Series"),
        queryset=SeriesPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Tag.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.EACH,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set here, and without public(): Wagtail's public() reads the view
        # restrictions when called, a query on every page that shows the box.
        self.fields["series"].queryset = (  # type: ignore[attr-defined]
            SeriesPage.objects.live().order_by("path")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("what") == WHAT_CHOSEN
        if chosen and not (data.get("series") or data.get("topics")):
            raise forms.ValidationError(
                _("Tick at least one series or topic, or choose everything.")
            )
        return data
