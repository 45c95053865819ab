"""JSON endpoints of funding: the goal bar's figures for scripts and other sites."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from tribune.core import clock
from tribune.funding import conf, display, selectors

# The published shape of GET /support/progress.json; a test pins it.
PROGRESS_SCHEMA = {
    "type": "object",
    "required": ["bar"],
    "properties": {
        "bar": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": [
                        "title", "currency", "raised", "goal", "raised_display",
                        "goal_display", "percent", "percent_display", "fill_percent",
                        "over_goal", "ticks", "state", "days", "hours", "countdown",
                    ],
                    "properties": {
                        "raised": {"type": "string", "description": "Decimal amount"},
                        "goal": {"type": "string", "description": "Decimal amount"},
                        "percent": {"type": "integer"},
                        "state": {
                            "enum": ["upcoming", "open", "last_day", "closed"]
                        },
                    },
                },
            ]
        }
    },
}  # fmt: skip


@require_GET
def progress_json(request: HttpRequest) -> JsonResponse:
    """The active campaign's bar as JSON; `{"bar": null}` when none runs."""
    goal = selectors.get_bar_progress()
    bar = display.build_bar(goal, now=clock.now()) if goal else None
    response = JsonResponse({"bar": bar.as_json() if bar else None})
    response["Cache-Control"] = f"public, max-age={min(30, conf.cache_seconds())}"
    response["Access-Control-Allow-Origin"] = "*"
    return response
