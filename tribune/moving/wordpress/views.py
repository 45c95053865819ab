"""The admin's WordPress import: upload form, progress page, progress as JSON."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from tribune.moving.models import ImportRun, RunState
from tribune.moving.wordpress import queue
from tribune.moving.wordpress.forms import WordPressUploadForm


def _check(request: HttpRequest) -> None:
    # An import writes pages, comments, accounts and redirects: superusers only.
    if not request.user.is_superuser:
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _check(request)
    form = WordPressUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = queue.start_run(
            upload=form.cleaned_data["export"],
            dry_run=form.cleaned_data["dry_run"],
            user=request.user,
        )
        return redirect("moving_wordpress:status", run.pk)
    runs = ImportRun.objects.all()[:10]
    return render(request, "moving/upload.html", {"form": form, "runs": runs})


@require_GET
def status(request: HttpRequest, run_id: int) -> HttpResponse:
    _check(request)
    run = get_object_or_404(ImportRun, pk=run_id)
    finished = run.state in (RunState.DONE, RunState.FAILED)
    return render(
        request,
        "moving/status.html",
        {
            "run": run,
            "finished": finished,
            "progress_url": reverse("moving_wordpress:progress", args=[run.pk]),
        },
    )


@require_GET
def progress(request: HttpRequest, run_id: int) -> JsonResponse:
    _check(request)
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        return JsonResponse(
            {"error": {"code": "not_found", "message": "No such import."}}, status=404
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


urlpatterns = [
    path("", upload, name="upload"),
    path("<int:run_id>/", status, name="status"),
    path("<int:run_id>/progress/", progress, name="progress"),
]
