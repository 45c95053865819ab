"""Wagtail admin wiring of the moving app."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tribune.moving import admin_views
from tribune.moving.models import Source
from tribune.moving.policies import can_import


@hooks.register("register_admin_urls")
def register_import_urls() -> list[Any]:
    return [
        path(
            f"import/{source}/",
            include(
                (admin_views.urlpatterns_for(source), f"moving_{source}"),
                namespace=f"moving_{source}",
            ),
        )
        for source in (Source.WORDPRESS, Source.DISQUS)
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return can_import(request.user)


@hooks.register("register_settings_menu_item")
def register_wordpress_import_menu_item() -> MenuItem:
    return ImportMenuItem(
        _("Import from WordPress"),
        reverse("moving_wordpress:upload"),
        icon_name="download",
        order=900,
    )


@hooks.register("register_settings_menu_item")
def register_disqus_import_menu_item() -> MenuItem:
    return ImportMenuItem(
        _("Import from Disqus"),
        reverse("moving_disqus:upload"),
        icon_name="download",
        order=901,
    )
