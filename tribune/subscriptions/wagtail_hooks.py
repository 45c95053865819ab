"""The Wagtail admin's "Subscriptions" menu: search by email, look, remove."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from tribune.subscriptions.models import Subscription


class NoAddPermissionPolicy(ModelPermissionPolicy):
    """Subscriptions start from the reader (double opt-in), never from staff."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action == "add":
            return False
        return bool(super().user_has_permission(user, action))


class SubscriptionViewSet(ModelViewSet):
    model = Subscription
    icon = "mail"
    menu_label = _("Subscriptions")
    menu_order = 310
    add_to_admin_menu = True
    url_prefix = "reader-subscriptions"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["email", "scope", "delivery", "confirmed_at", "created_at"]
    list_filter = ["scope", "delivery"]
    search_fields = ["email"]
    search_backend_name = None
    form_fields = ["delivery"]
    inspect_view_fields = [
        "email",
        "user",
        "scope",
        "thread",
        "comment",
        "delivery",
        "created_at",
        "confirmed_at",
    ]

    @property
    def permission_policy(self) -> ModelPermissionPolicy:
        return NoAddPermissionPolicy(self.model)


@hooks.register("register_admin_viewset")
def register_subscription_viewset() -> SubscriptionViewSet:
    return SubscriptionViewSet("reader_subscriptions")
