"""What a load balancer asks: is the process alive (/healthz), can it serve (/readyz).

Both are answered by the first middleware, before sessions, the page cache or
anything else that reads the database or the cache: /healthz touches neither,
and /readyz looks at each on its own so one that is away is named, not a 500.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

OK, DOWN = "ok", "down"
# Seconds a readiness probe waits for Redis.
PROBE_TIMEOUT = 1.0


def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers; nothing else is looked at."""
    return JsonResponse({"ok": True})


def database_state() -> str:
    """Whether the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return DOWN
    return OK


def cache_state() -> str:
    """Whether the shared cache keeps what it is given."""
    cache = caches["default"]
    probe = uuid.uuid4().hex
    try:
        cache.set("readyz:probe", probe, 10)
        kept = cache.get("readyz:probe") == probe
    except Exception:  # any backend, any failure: the answer is "down"
        return DOWN
    return OK if kept else DOWN


def queue_state() -> str:
    """Whether the task queue can take a task: Redis for RQ, else the database."""
    backend = settings.TASKS["default"]["BACKEND"]
    if "RQ" not in backend:
        return database_state()
    import redis

    url = str(settings.RQ_QUEUES["default"]["URL"])
    client = redis.Redis.from_url(
        url, socket_timeout=PROBE_TIMEOUT, socket_connect_timeout=PROBE_TIMEOUT
    )
    try:
        client.ping()
    except (redis.exceptions.RedisError, OSError):
        return DOWN
    finally:
        client.close()
    return OK


def readyz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers (the site serves without a cache or queue,
    more slowly); 503 when it does not. The body names each part's state."""
    states = {
        "database": database_state(),
        "cache": cache_state(),
        "queue": queue_state(),
    }
    ready = states["database"] == OK
    status = "ok" if all(s == OK for s in states.values()) else "degraded"
    return JsonResponse(
        {"status": status if ready else "down", **states},
        status=200 if ready else 503,
    )


_PROBES: dict[str, Callable[[HttpRequest], JsonResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
}


class HealthMiddleware:
    """Answer /healthz and /readyz before any other middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = _PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse(
                {"error": {"code": "method_not_allowed", "message": _("Use GET.")}},
                status=405,
                headers={"Allow": "GET, HEAD"},
            )
        response = probe(request)
        response["Cache-Control"] = "no-store"
        return response
