"""The goal bar tag and money filters: figures in the reader's (or editor's) locale."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from tribune.core import clock
from tribune.funding import display, money, selectors

register = template.Library()


@register.inclusion_tag("funding/includes/goal_bar.html", takes_context=True)
def goal_bar(context: template.Context, where: str = "top") -> dict[str, Any]:
    """Render the active campaign's bar; costs no SQL query while the cache is warm."""
    goal = selectors.get_bar_progress()
    bar = display.build_bar(goal, now=clock.now()) if goal else None
    return {"bar": bar, "where": where, "request": context.get("request")}


@register.filter
def money_exact(amount: Decimal | None, currency: str) -> str:
    """`{{ d.amount|money_exact:d.currency }}`: "$1,800.00" in the active language."""
    if amount is None or amount == "":
        return ""
    return money.format_exact(Decimal(amount), currency, display.active_locale())


@register.filter
def money_round(amount: Decimal | None, currency: str) -> str:
    """`{{ goal|money_round:currency }}`: "$1,800", cents only when there are some."""
    if amount is None or amount == "":
        return ""
    return money.format_amount(Decimal(amount), currency, display.active_locale())
