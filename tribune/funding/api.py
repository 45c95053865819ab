"""JSON endpoints of funding: the goal bar's figures for scripts and other sites."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from tribune.core import clock
from tribune.funding import conf, display, openapi, selectors


# csrf_exempt: reads only; any other method gets require_GET's 405, not a CSRF 403.
@csrf_exempt
@require_GET
def progress_json(request: HttpRequest) -> JsonResponse:
    """The active campaign's bar as JSON; `{"bar": null}` when none runs."""
    goal = selectors.get_bar_progress()
    bar = display.build_bar(goal, now=clock.now()) if goal else None
    response = JsonResponse({"bar": bar.as_json() if bar else None})
    response["Cache-Control"] = f"public, max-age={min(30, conf.cache_seconds())}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
@require_GET
def openapi_document(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3.1 description of these endpoints."""
    return JsonResponse(openapi.DOCUMENT)
