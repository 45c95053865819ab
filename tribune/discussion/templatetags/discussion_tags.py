"""The comment section tag the site's article template places under a report."""

from __future__ import annotations

from typing import Any

from django import template

from tribune.discussion import selectors, views
from tribune.discussion.models import SiteCommentsMode

register = template.Library()


@register.inclusion_tag("discussion/thread.html", takes_context=True)
def discussion_thread(context: template.Context, page: Any) -> dict[str, Any]:
    """Render the comment section of `page` for the reader of this request."""
    return views.thread_context(context["request"], page)


@register.inclusion_tag("discussion/passage_link.html", takes_context=True)
def passage_link(context: template.Context, page: Any, block_id: str) -> dict[str, Any]:
    """The "Comment on this paragraph" link under a body block, if comments are open."""
    request = context.get("request")
    show = False
    if request is not None and hasattr(page, "comments") and block_id:
        rules = selectors.get_settings_for_request(request)
        show = selectors.get_state(page, rules) == SiteCommentsMode.OPEN
    return {"show": show, "page": page, "block_id": block_id}
