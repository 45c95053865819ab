"""The goal bar tag and money filters: figures in the reader's (or editor's) locale."""

from __future__ import annotations

from decimal import Decimal
from hashlib import blake2b

from django import template

from tribune.core import clock, skeletons
from tribune.funding import conf, display, money, progress, selectors

register = template.Library()

TEMPLATE = "funding/includes/goal_bar.html"


@register.simple_tag(takes_context=True)
def goal_bar(context: template.Context, where: str = "top") -> str:
    """Render the active campaign's bar; costs no SQL query while the cache is warm.

    The bar shows only the campaign's figures, its countdown and the language,
    so its HTML is kept per process for exactly those (core/skeletons.py).
    """
    goal = selectors.get_bar_progress()
    now = clock.now()

    def render() -> str:
        bar = display.build_bar(goal, now=now) if goal else None
        values = {"bar": bar, "where": where, "request": context.get("request")}
        return skeletons.render_included(context, TEMPLATE, values)

    if goal is None:
        return render()
    state = progress.countdown(now, goal.start, goal.end, selectors.site_tz())
    tz = selectors.site_tz().key
    shown = (goal, state, where, conf.tick_fractions(), conf.locale(), tz)
    digest = blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return skeletons.render_once(
        context.get("request"), f"funding:bar:{digest}", render
    )


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
