"""Forms of "Your page"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tribune.discussion import conf as discussion_conf
from tribune.selfservice.models import CommentsChoice


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Please give your email address.")},
    )


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=discussion_conf.get("MAX_LENGTH"),
        error_messages={"required": _("A comment cannot be empty.")},
    )


class EraseForm(forms.Form):
    comments = forms.ChoiceField(
        label=_("Your comments"),
        choices=CommentsChoice.choices,
        widget=forms.RadioSelect,
        initial=CommentsChoice.REMOVE,
    )
    confirm = forms.BooleanField(
        label=_("Yes, erase my data from this site."),
        error_messages={"required": _("Please tick the box to confirm.")},
    )
