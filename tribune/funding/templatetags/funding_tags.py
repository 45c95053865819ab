"""The goal bar tag for site templates: cached figures in the reader's locale."""

from __future__ import annotations

from typing import Any

from django import template

from tribune.core import clock
from tribune.funding import display, selectors

register = template.Library()


@register.inclusion_tag("funding/includes/goal_bar.html", takes_context=True)
def goal_bar(context: template.Context, where: str = "top") -> dict[str, Any]:
    """Render the active campaign's bar; costs no SQL query while the cache is warm."""
    goal = selectors.get_bar_progress()
    bar = display.build_bar(goal, now=clock.now()) if goal else None
    return {"bar": bar, "where": where, "request": context.get("request")}
