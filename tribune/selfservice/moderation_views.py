"""The moderators' view of erasures: when they happened, nothing about whom."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from tribune.discussion.moderation_views import moderator_required
from tribune.selfservice import selectors


@moderator_required
def erasures(request: HttpRequest) -> HttpResponse:
    """The dates of readers' erasures from the moderators' log."""
    return render(
        request,
        "selfservice/admin/erasures.html",
        {"dates": selectors.list_erasure_log()},
    )


urlpatterns = [path("", erasures, name="erasures")]
