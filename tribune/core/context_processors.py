"""Values every template may use."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tribune.core import pagecache


def site(request: HttpRequest) -> dict[str, Any]:
    """The site's name and the absolute base URL for canonical links."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "BASE_URL": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
    }


def csrf(request: HttpRequest) -> dict[str, Any]:
    """`csrf_token` as a page-cache hole, so a cached page gets each reader's own.

    Replaces Django's built-in processor of the same name (it runs first).
    """
    return {"csrf_token": SimpleLazyObject(lambda: pagecache.hole(request, "csrf"))}
