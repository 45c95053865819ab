"""Editors' newsletter page of a report in Wagtail's admin: the mail's preview,
a test to oneself, a correction on purpose, and the report's sends."""

from __future__ import annotations

from csp.decorators import csp
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from tribune.newsletter import notifications, policies, selectors, services
from tribune.newsroom.models import ArticlePage

# The preview is the mail itself: inline styles as mail clients need them, no
# script at all, shown in a sandboxed frame of this admin page only.
_PREVIEW_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["'self'", "https:", "data:"],
    "frame-ancestors": ["'self'"],
}


def _article(request: HttpRequest, page_id: int) -> ArticlePage:
    article = get_object_or_404(ArticlePage, pk=page_id)
    if not policies.can_preview(request.user, article):
        raise PermissionDenied
    return article


@require_GET
def report(request: HttpRequest, page_id: int) -> HttpResponse:
    article = _article(request, page_id)
    return render(
        request,
        "newsletter/admin/report.html",
        {
            "article": article,
            "sends": selectors.list_sends(article),
            "can_correct": policies.can_send_correction(request.user, article),
            "email": getattr(request.user, "email", ""),
        },
    )


@require_GET
@xframe_options_sameorigin
@csp(_PREVIEW_POLICY)  # type: ignore[arg-type]  # typed for views without URL arguments
def preview(request: HttpRequest, page_id: int) -> HttpResponse:
    article = _article(request, page_id)
    mail = notifications.preview(article)
    if mail is None:
        raise Http404
    return HttpResponse(mail["html"])


@require_POST
def send_test(request: HttpRequest, page_id: int) -> HttpResponse:
    article = _article(request, page_id)
    email = getattr(request.user, "email", "")
    try:
        services.send_test(article=article, email=email)
    except services.NewsletterError:
        messages.error(request, _("Your account has no valid email address."))
    else:
        messages.success(
            request, _("A test is on its way to %(email)s.") % {"email": email}
        )
    return redirect("newsletter_admin:report", article.pk)


@require_POST
def send_correction(request: HttpRequest, page_id: int) -> HttpResponse:
    article = _article(request, page_id)
    if not policies.can_send_correction(request.user, article):
        raise PermissionDenied
    try:
        services.send_correction(
            article=article, note=request.POST.get("note", ""), user=request.user
        )
    except services.NewsletterError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The correction is being sent."))
    return redirect("newsletter_admin:report", article.pk)
