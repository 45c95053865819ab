"""Site-wide responses: error pages, uploaded media (health checks: health.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils._os import safe_join
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may be in one of them.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


@require_GET
@cache_control(max_age=86400, public=True)
def media(request: HttpRequest, path: str) -> FileResponse:
    """Uploaded images for a single-machine install; a big site puts a CDN in front."""
    try:
        full = safe_join(str(settings.MEDIA_ROOT), path)
        return FileResponse(open(full, "rb"))
    except (SuspiciousFileOperation, FileNotFoundError, IsADirectoryError):
        raise Http404 from None
