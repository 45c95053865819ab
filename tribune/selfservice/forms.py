"""Forms of "Your page"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tribune.discussion import conf as discussion_conf
from tribune.newsletter.forms import WHAT_ALL, WHAT_CHOSEN, SignupForm
from tribune.newsletter.models import Subscriber
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


class NewsletterForm(SignupForm):
    """What the reader's newsletter follows and how often; the address is
    the one they proved."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["email"]

    @classmethod
    def initial_for(cls, subscriber: Subscriber) -> dict[str, Any]:
        return {
            "what": WHAT_ALL if subscriber.everything else WHAT_CHOSEN,
            "series": [s.pk for s in subscriber.series.all()],
            "topics": [t.pk for t in subscriber.topics.all()],
            "frequency": subscriber.frequency,
        }

    def choices(self) -> dict[str, Any]:
        """The cleaned choices as the services take them."""
        data = self.cleaned_data
        everything = data["what"] == WHAT_ALL
        return {
            "everything": everything,
            "series_ids": [] if everything else [s.pk for s in data["series"]],
            "topic_ids": [] if everything else [t.pk for t in data["topics"]],
            "frequency": data["frequency"],
        }
