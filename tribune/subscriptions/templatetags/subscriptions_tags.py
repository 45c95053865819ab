"""The subscribe bar the site's article template places above the comments."""

from __future__ import annotations

from typing import Any

from django import template

from tribune.core import skeletons
from tribune.discussion import selectors as discussion_selectors
from tribune.discussion.models import SiteCommentsMode
from tribune.subscriptions.forms import SubscribeForm

register = template.Library()

TEMPLATE = "subscriptions/bar.html"


@register.simple_tag(takes_context=True)
def subscribe_bar(context: template.Context, page: Any) -> str:
    """The bar for `page`, shown while its comments are open; a guest's is the
    same for everyone but its CSRF token, so it is rendered once per page,
    language and process (core/skeletons.py)."""
    request = context["request"]
    rules = discussion_selectors.get_settings_for_request(request)
    if discussion_selectors.get_state(page, rules) != SiteCommentsMode.OPEN:
        return skeletons.render_included(context, TEMPLATE, {"show": False})
    signed_in = request.user.is_authenticated

    def render() -> str:
        form = SubscribeForm(signed_in=signed_in, auto_id="sub_%s")
        values = {"show": True, "article": page, "form": form, "signed_in": signed_in}
        return skeletons.render_included(context, TEMPLATE, values)

    if signed_in:
        return render()
    return skeletons.render_once(request, f"subscriptions:bar:{page.pk}", render)
