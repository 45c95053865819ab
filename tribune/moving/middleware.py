"""WordPress's query-string addresses ("/?p=12", "/?page_id=3", "/?cat=4").

Wagtail's RedirectMiddleware only looks for a redirect when a page answers 404,
but "/?p=12" is the home page, which answers 200.  This looks up the same
stored Wagtail redirects first, and only for requests that carry one of
WordPress's query keys, so every other request costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.http.response import HttpResponseBase, HttpResponseRedirect
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from tribune.moving.redirects import LEGACY_QUERY_KEYS


class LegacyQueryRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD") and LEGACY_QUERY_KEYS.intersection(
            request.GET
        ):
            found = _find(request)
            if found is not None:
                return found
        return self.get_response(request)


def _find(request: HttpRequest) -> HttpResponse | None:
    path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    redirect = get_redirect(request, path)
    if redirect is None or redirect.link is None:
        return None
    if redirect.is_permanent:
        return HttpResponsePermanentRedirect(redirect.link)
    return HttpResponseRedirect(redirect.link)
