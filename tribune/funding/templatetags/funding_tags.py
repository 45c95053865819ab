"""The goal bar tag and money filters: figures in the reader's (or editor's) locale."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from hashlib import blake2b

from django import template

from tribune.core import clock, skeletons
from tribune.funding import conf, display, money, progress, selectors
from tribune.funding.selectors import GoalProgress

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
    digest = _shown(goal, now, where)
    return skeletons.render_once(
        context.get("request"), f"funding:bar:{digest}", render
    )


def _shown(goal: GoalProgress | None, now: datetime, where: str) -> str:
    """A digest of everything a bar placed at `where` shows but the language."""
    if goal is None:
        return "none"
    state = progress.countdown(now, goal.start, goal.end, selectors.site_tz())
    tz = selectors.site_tz().key
    shown = (goal, state, where, conf.tick_fractions(), conf.locale(), tz)
    return blake2b(repr(shown).encode(), digest_size=16).hexdigest()


@register.simple_tag
def goal_bars_shown() -> str:
    """What every goal bar shows now, as one value: a `{% keep %}` around a part
    of a page that holds goal bars names it, so that a donation or the countdown
    renders that part anew."""
    return _shown(selectors.get_bar_progress(), clock.now(), "")


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
