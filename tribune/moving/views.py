"""Reader-facing addresses of the moving app."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.views.decorators.http import require_GET
from wagtail.models import Page

from tribune.moving.selectors import find_moved_comment
from tribune.newsroom.models import DISCUSSED_PAGE_TYPES


@require_GET
def moved_comment(
    request: HttpRequest, page_id: int, legacy_id: str
) -> HttpResponsePermanentRedirect:
    """An old "#comment-ID" link of a report or plain page: to the comment's
    permalink, or to the page's comments when it is not shown."""
    page = (
        Page.objects.live()
        .public()
        .type(*DISCUSSED_PAGE_TYPES)
        .filter(pk=page_id)
        .first()
    )
    if page is None or not page.url:
        raise Http404
    comment = find_moved_comment(page_id=page_id, legacy_id=legacy_id)
    if comment is None:
        return HttpResponsePermanentRedirect(f"{page.url}#comments")
    return HttpResponsePermanentRedirect(
        f"{page.url}?comment={comment.pk}#comment-{comment.pk}"
    )
