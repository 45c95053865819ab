"""The subscribe bar the site's article template places above the comments."""

from __future__ import annotations

from typing import Any

from django import template

from tribune.discussion import selectors as discussion_selectors
from tribune.discussion.models import SiteCommentsMode
from tribune.subscriptions.forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("subscriptions/bar.html", takes_context=True)
def subscribe_bar(context: template.Context, page: Any) -> dict[str, Any]:
    """The bar for `page`, shown while its comments are open."""
    request = context["request"]
    rules = discussion_selectors.get_settings_for_request(request)
    if discussion_selectors.get_state(page, rules) != SiteCommentsMode.OPEN:
        return {"show": False}
    signed_in = request.user.is_authenticated
    return {
        "show": True,
        "article": page,
        "form": SubscribeForm(signed_in=signed_in, auto_id="sub_%s"),
        "signed_in": signed_in,
    }
