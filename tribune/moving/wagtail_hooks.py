"""Wagtail admin wiring of the moving app."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tribune.moving.wordpress import views as wordpress_views


@hooks.register("register_admin_urls")
def register_wordpress_import_urls() -> list[Any]:
    return [
        path(
            "import/wordpress/",
            include(
                (wordpress_views.urlpatterns, "moving_wordpress"),
                namespace="moving_wordpress",
            ),
        )
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.is_superuser)


@hooks.register("register_settings_menu_item")
def register_wordpress_import_menu_item() -> MenuItem:
    return SuperuserMenuItem(
        _("Import from WordPress"),
        reverse("moving_wordpress:upload"),
        icon_name="download",
        order=900,
    )
