"""Wagtail admin wiring: the moderators' list of erasures."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tribune.discussion.moderation_views import PERMISSION
from tribune.selfservice import moderation_views


@hooks.register("register_admin_urls")
def register_erasure_urls() -> list[Any]:
    return [
        path(
            "erasures/",
            include(
                (moderation_views.urlpatterns, "selfservice_moderation"),
                namespace="selfservice_moderation",
            ),
        )
    ]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(PERMISSION))


@hooks.register("register_admin_menu_item")
def register_erasure_menu_item() -> MenuItem:
    return ModeratorMenuItem(
        _("Erasures"),
        reverse("selfservice_moderation:erasures"),
        icon_name="lock",
        order=255,
    )
