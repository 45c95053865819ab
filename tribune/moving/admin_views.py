"""The admin's imports (WordPress, Disqus): upload form, progress page, progress
as JSON.  Editors allowed by policies.can_import only."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tribune.moving.models import ImportRun, RunState, Source
from tribune.moving.policies import can_import
from tribune.moving.wordpress import queue
from tribune.moving.wordpress.forms import DisqusUploadForm, WordPressUploadForm

_FORMS = {Source.WORDPRESS: WordPressUploadForm, Source.DISQUS: DisqusUploadForm}


def _allowed(view: Any) -> Any:
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.get_full_path(), reverse("wagtailadmin_login")
            )
        if not can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


def _title(source: str) -> str:
    return (
        _("Import from Disqus")
        if source == Source.DISQUS
        else _("Import from WordPress")
    )


@require_http_methods(["GET", "POST"])
@_allowed
def upload(request: HttpRequest, source: str) -> HttpResponse:
    form = _FORMS[Source(source)](request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = queue.start_run(
            source=source,
            upload=data["export"],
            uploads=data.get("uploads"),
            subscriptions=data.get("subscriptions"),
            dry_run=data["dry_run"],
            user=request.user,
        )
        return redirect(f"moving_{source}:status", run.pk)
    runs = ImportRun.objects.filter(source=source)[:10]
    context = {"form": form, "runs": runs, "source": source, "title": _title(source)}
    return render(request, "moving/upload.html", context)


@require_GET
@_allowed
def status(request: HttpRequest, source: str, run_id: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=run_id, source=source)
    finished = run.state in (RunState.DONE, RunState.FAILED)
    return render(
        request,
        "moving/status.html",
        {
            "run": run,
            "finished": finished,
            "title": _title(source),
            "upload_url": reverse(f"moving_{source}:upload"),
            "status_url": reverse(f"moving_{source}:status", args=[run.pk]),
            "progress_url": reverse(f"moving_{source}:progress", args=[run.pk]),
        },
    )


@require_GET
@_allowed
def progress(request: HttpRequest, source: str, run_id: int) -> JsonResponse:
    run = ImportRun.objects.filter(pk=run_id, source=source).first()
    if run is None:
        return JsonResponse(
            {"error": {"code": "not_found", "message": _("No such import.")}},
            status=404,
        )
    return JsonResponse(
        {
            "state": run.state,
            "done": run.done,
            "total": run.total,
            "percent": run.percent,
            "finished": run.state in (RunState.DONE, RunState.FAILED),
        }
    )


def urlpatterns_for(source: str) -> list[URLPattern]:
    kwargs = {"source": source}
    return [
        path("", upload, kwargs, name="upload"),
        path("<int:run_id>/", status, kwargs, name="status"),
        path("<int:run_id>/progress/", progress, kwargs, name="progress"),
    ]
