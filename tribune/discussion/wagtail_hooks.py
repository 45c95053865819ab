"""Wagtail admin wiring: the comment moderation queue and its menu item."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tribune.discussion import ban_views, moderation_views


@hooks.register("register_admin_urls")
def register_moderation_urls() -> list[Any]:
    return [
        path(
            "comments/",
            include(
                (
                    moderation_views.urlpatterns + ban_views.urlpatterns,
                    "discussion_moderation",
                ),
                namespace="discussion_moderation",
            ),
        )
    ]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(moderation_views.PERMISSION))


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item() -> MenuItem:
    return ModeratorMenuItem(
        _("Comments"),
        reverse("discussion_moderation:queue"),
        icon_name="comment",
        order=250,
    )
