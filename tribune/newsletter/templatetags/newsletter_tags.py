"""The "Get our reports by email" box the site's templates place."""

from __future__ import annotations

from hashlib import blake2b
from typing import Any

from django import template

from tribune.core import skeletons
from tribune.newsletter.forms import SignupForm
from tribune.newsroom.models import ArticlePage, SeriesPage

register = template.Library()

TEMPLATE = "newsletter/includes/signup.html"


@register.simple_tag(takes_context=True)
def newsletter_signup(context: template.Context, page: Any = None) -> str:
    """The sign-up box. On a series page it offers that series; at the end of a
    report, the report's series and topics; elsewhere, everything.

    The choices come from what the page's template already read (`series`,
    `topics` in an article's context), so the box adds no query there.
    """
    offer_series: list[Any] = []
    offer_topics: list[Any] = []
    specific = getattr(page, "specific_deferred", page)
    if isinstance(specific, SeriesPage):
        offer_series = [specific]
    elif isinstance(specific, ArticlePage):
        series = context.get("series")
        offer_series = [series] if series else []
        offer_topics = list(context.get("topics") or [])
    else:
        offer_series = list(context.get("series_list") or [])

    def render() -> str:
        values = {
            "form": SignupForm(auto_id=f"nl{getattr(page, 'pk', '')}_%s"),
            "offer_series": offer_series,
            "offer_topics": offer_topics,
            "request": context.get("request"),
            "csrf_token": context.get("csrf_token"),
        }
        return skeletons.render_included(context, TEMPLATE, values)

    if not isinstance(specific, ArticlePage):
        # Elsewhere the box lists every series and topic: rendered each time.
        return render()
    # On a report the box shows only these values (and the language).
    shown = [(s.pk, s.title) for s in offer_series]
    shown += [(t.pk, t.name) for t in offer_topics]
    digest = blake2b(repr(shown).encode(), digest_size=12).hexdigest()
    return skeletons.render_once(
        context.get("request"), f"newsletter:signup:{page.pk}:{digest}", render
    )
