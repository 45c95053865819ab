"""HTML forms of the comment section; the services do the real validation."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tribune.core import pagecache
from tribune.discussion import conf, spam
from tribune.discussion.errors import DiscussionError, SpamSuspectedError

HONEYPOT = "nickname"


class CommentForm(forms.Form):
    """A new comment or reply; guests also give name, email and website."""

    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=conf.get("MAX_LENGTH"),
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=80)
    email = forms.CharField(
        label=_("Email"),
        required=False,
        max_length=254,
        help_text=_("Never shown to anyone but the moderators."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(
        label=_("Website (optional)"),
        required=False,
        max_length=200,
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    # Travels to other apps in the comment_posted signal (email notifications).
    notify = forms.ChoiceField(
        label=_("Email me"),
        required=False,
        initial="none",
        choices=[
            ("none", _("nothing")),
            ("replies", _("new replies to my comment")),
            ("all", _("all new follow-up comments")),
        ],
        help_text=_("Guests confirm their address first, by email."),
    )
    verify_email = forms.BooleanField(
        label=_("Confirm my email address by a mailed link"),
        required=False,
        help_text=_(
            "Once you open the link, comments from this browser appear without"
            " waiting for a moderator."
        ),
    )
    # Set once the reader was asked whether to rephrase (ask_to_confirm): every
    # later send of this form goes ahead, so they are asked once.
    confirm_offensive = forms.BooleanField(required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # Hidden from people by CSS; bots that fill every field reveal themselves.
    nickname = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(
        self,
        *args: Any,
        signed_in: bool = False,
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        # Both values differ per reader; as page-cache holes they stay fresh
        # when the article page is served from the cache.
        kwargs.setdefault(
            "initial",
            {
                "key": pagecache.hole(request, "uuid") or uuid.uuid4().hex,
                "started": pagecache.hole(request, "discussion_form")
                or spam.issue_form_token(),
            },
        )
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        # The question asked before posting (OffensiveLanguageError), if any.
        self.question = ""
        if signed_in:
            for name in ("name", "email", "website", "verify_email"):
                del self.fields[name]
        else:
            self.fields["name"].widget.attrs.update(autocomplete="name")

    def check_bot_signals(self) -> None:
        """Raise SpamSuspectedError for a filled honeypot or a too quick/old form."""
        if self.cleaned_data.get(HONEYPOT):
            raise SpamSuspectedError(code="honeypot")
        spam.check_form_token(self.cleaned_data.get("started", ""))

    def add_service_error(self, error: DiscussionError) -> None:
        """Show a service's refusal next to its field (or above the form)."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)

    def ask_to_confirm(self, error: DiscussionError) -> None:
        """Show the service's question with the text kept; the re-displayed form
        carries the confirmation (`error.confirm`) for its next send."""
        data = dict(self.data.items())
        data[error.confirm or "confirm_offensive"] = "1"
        self.data = data
        self.question = error.message

    def focus_first_error(self) -> None:
        """Give the first visible field with an error `autofocus`, else the body.

        Without JavaScript this is what puts the reader back at the form, on the
        field to fix, when the refused form is shown again.
        """
        invalid = [
            name
            for name, field in self.fields.items()
            if name in self.errors and name != HONEYPOT and not field.widget.is_hidden
        ]
        name = invalid[0] if invalid else "body"
        self.fields[name].widget.attrs["autofocus"] = True

    def refresh_token(self) -> None:
        """Give a re-displayed form a new timestamp so it can be sent again."""
        data = dict(self.data.items())
        data["started"] = spam.issue_form_token()
        self.data = data


class EditForm(forms.Form):
    """The author's new text for a comment."""

    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=conf.get("MAX_LENGTH"),
    )


class ReportForm(forms.Form):
    """Why a reader reports a comment."""

    reason = forms.CharField(
        label=_("What is wrong with this comment? (optional)"),
        required=False,
        max_length=300,
    )
