"""The admin's "Newsletter" button on every report and the page it opens."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from tribune.newsletter import admin_views
from tribune.newsroom.models import ArticlePage

admin_urls = (
    [
        path("<int:page_id>/", admin_views.report, name="report"),
        path("<int:page_id>/preview/", admin_views.preview, name="preview"),
        path("<int:page_id>/test/", admin_views.send_test, name="test"),
        path(
            "<int:page_id>/correction/", admin_views.send_correction, name="correction"
        ),
    ],
    "newsletter_admin",
)


@hooks.register("register_admin_urls")
def register_urls() -> list[Any]:
    return [path("newsletter/", include(admin_urls))]


@hooks.register("register_page_header_buttons")
def newsletter_button(
    page: Any, user: Any, view_name: str = "", next_url: str | None = None
) -> Iterator[Button]:
    if page.specific_class is ArticlePage:
        yield Button(
            _("Newsletter"),
            reverse("newsletter_admin:report", args=[page.pk]),
            icon_name="mail",
            priority=90,
        )
