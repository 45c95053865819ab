"""The comment section tag the site's article template places under a report."""

from __future__ import annotations

from typing import Any

from django import template

from tribune.discussion import views

register = template.Library()


@register.inclusion_tag("discussion/thread.html", takes_context=True)
def discussion_thread(context: template.Context, page: Any) -> dict[str, Any]:
    """Render the comment section of `page` for the reader of this request."""
    return views.thread_context(context["request"], page)
