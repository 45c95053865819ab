"""Values every template may use."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """The site's name and the absolute base URL for canonical links."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "BASE_URL": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
    }
