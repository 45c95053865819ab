"""Tags for site chrome that needs newsroom data: series menu, support panels."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from wagtail.models import Site

from tribune.newsroom import selectors
from tribune.newsroom.models import NewsroomSettings, SupportPanel

register = template.Library()


@register.simple_tag(takes_context=True)
def series_menu(context: template.Context) -> list[Any]:
    request: HttpRequest | None = context.get("request")
    if request is None:
        return []
    if "_series_menu" not in request.__dict__:
        site = Site.find_for_request(request)
        request.__dict__["_series_menu"] = (
            selectors.list_series_menu(site.root_page) if site else []
        )
    return request.__dict__["_series_menu"]


@register.simple_tag(takes_context=True)
def report_version(context: template.Context) -> str | None:
    """The version of everything a report's part of its page shows besides the
    page itself, for `{% keep %}`; None when that part must be rendered."""
    request: HttpRequest | None = context.get("request")
    return selectors.get_report_version(request) if request is not None else None


@register.inclusion_tag("newsroom/includes/support_panel.html", takes_context=True)
def support_panel(
    context: template.Context, panel: SupportPanel | None = None, where: str = "inline"
) -> dict[str, Any]:
    """Render a Support us panel; without one, the site's default panel."""
    request: HttpRequest | None = context.get("request")
    site_settings = NewsroomSettings.for_request(request) if request else None
    if panel is None and site_settings is not None:
        panel = site_settings.support_panel
    donate_url = ""
    if panel is not None:
        donate_url = panel.donate_url or (
            site_settings.donate_url if site_settings else ""
        )
    return {
        "panel": panel,
        "donate_url": donate_url,
        "where": where,
        "request": request,
    }
