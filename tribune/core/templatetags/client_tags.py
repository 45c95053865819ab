"""Values a page hands its scripts in data attributes (none is written into the JS)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import get_script_prefix

register = template.Library()


@register.simple_tag
def csrf_cookie_name() -> str:
    """The cookie Django keeps the CSRF secret in (settings.CSRF_COOKIE_NAME)."""
    return str(settings.CSRF_COOKIE_NAME)


@register.simple_tag
def script_prefix() -> str:
    """The path the site is served under ("/", or e.g. "/news/" behind a proxy)."""
    return get_script_prefix()


@register.simple_tag
def script_cookie_name() -> str:
    """The cookie that tells the page cache this browser runs the page scripts."""
    return str(getattr(settings, "PAGECACHE_SCRIPT_COOKIE", "tribune_js"))
