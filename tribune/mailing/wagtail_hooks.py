"""The Wagtail admin's "Mail" menu: the sent-mail log and the suppression list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy

from tribune.mailing import admin_views
from tribune.mailing.addresses import normalize_address
from tribune.mailing.models import OutboundEmail, Suppression


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The log is written by the outbox alone; staff may only look."""

    _WRITES = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action in self._WRITES:
            return False
        return bool(super().user_has_permission(user, action))

    def user_has_permission_for_instance(
        self, user: Any, action: str, instance: Any
    ) -> bool:
        return self.user_has_permission(user, action)


class OutboundEmailViewSet(ModelViewSet):
    model = OutboundEmail
    icon = "mail"
    menu_label = _("Sent mail")
    url_prefix = "mailing/outbox"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["recipient", "subject", "status", "attempts", "created_at"]
    list_filter = ["status"]
    search_fields = ["recipient", "subject"]
    search_backend_name = None
    exclude_form_fields: list[str] = []
    inspect_view_fields = [
        "recipient",
        "subject",
        "status",
        "attempts",
        "possible_duplicates",
        "last_error",
        "message_id",
        "dedupe_key",
        "headers",
        "created_at",
        "next_attempt_at",
        "handed_over_at",
        "sent_at",
        "text_body",
    ]

    inspect_template_name = "mailing/admin/inspect_outbound_email.html"

    @property
    def permission_policy(self) -> ModelPermissionPolicy:
        return ReadOnlyPermissionPolicy(self.model)

    def get_urlpatterns(self) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path("retry/<id:pk>/", admin_views.retry_email, name="retry"),
            path("mark-sent/<id:pk>/", admin_views.mark_email_sent, name="mark_sent"),
        ]


class SuppressionForm(forms.ModelForm):
    """Stores addresses in the form the outbox compares against."""

    class Meta:
        model = Suppression
        fields = ["email", "reason", "note"]

    def clean_email(self) -> str:
        return normalize_address(self.cleaned_data["email"])


class SuppressionViewSet(ModelViewSet):
    model = Suppression
    icon = "cross"
    menu_label = _("Suppressed addresses")
    url_prefix = "mailing/suppressions"
    copy_view_enabled = False
    list_display = ["email", "reason", "note", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email"]
    search_backend_name = None
    form_fields = ["email", "reason", "note"]

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return SuppressionForm


class MailViewSetGroup(ModelViewSetGroup):
    menu_label = _("Mail")
    menu_icon = "mail"
    items = (OutboundEmailViewSet, SuppressionViewSet)


@hooks.register("register_admin_viewset")
def register_mail_viewsets() -> MailViewSetGroup:
    return MailViewSetGroup()
