"""The polling door to live events, for browsers behind a proxy that buffers streams."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tribune.core.api import error_response
from tribune.live import boxes, conf, selectors
from tribune.live.streaming import parse_event_id


@require_GET
def events(request: HttpRequest, page_id: int) -> HttpResponse:
    """The article's public events after `?after=<id>`, oldest first.

    Without `after` no events, only the newest id to ask from next time.  The
    events are public (live.receivers writes no others), so the answer does not
    depend on who asks and no article lookup is needed: an unknown page simply
    has no events.
    """
    raw = request.GET.get("after")
    if raw is None:
        return _answer([], selectors.get_latest_event_id())
    after = parse_event_id(raw)
    if after is None:
        return error_response(
            "bad_after", _("`after` is an event id."), status=400, field="after"
        )
    rows = selectors.list_events_after(
        after=after,
        channels=selectors.channels_for_article(page_id),
        limit=conf.get("REPLAY_LIMIT"),
    )
    return _answer(
        [
            {"id": e.pk, "kind": e.kind, "payload": e.payload}
            for e in boxes.complete(rows)
        ],
        rows[-1].pk if rows else after,
    )


@require_GET
def no_stream(request: HttpRequest, page_id: int) -> HttpResponse:
    """The stream's address when the web server itself gets it (a site served
    without the nginx location that sends it to `tribune live`): 204 tells the
    browser's EventSource to stop without an error, and the page polls `events`."""
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


def _answer(found: list[dict[str, object]], last: int) -> JsonResponse:
    response = JsonResponse({"events": found, "last": last})
    response["Cache-Control"] = "no-store"
    return response
