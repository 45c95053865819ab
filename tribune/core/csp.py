"""django-csp's middleware, with the policy texts built once per process.

django-csp builds the header from the settings on every response (about a tenth of
a millisecond here). A response no view changed gets one of four texts (enforced or
report-only, with or without a nonce), built once with a placeholder where the nonce
goes and built again when the settings change (tests do). Responses a view changed
with csp_update, csp_replace or @csp go through django-csp unchanged.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase

_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_NONCE_HOLE = "tribune-csp-nonce-hole"
_HEADERS = (
    (HEADER, False, "_csp_exempt"),
    (HEADER_REPORT_ONLY, True, "_csp_exempt_ro"),
)


@lru_cache(maxsize=4)
def _policy(report_only: bool, with_nonce: bool) -> tuple[str, tuple[str, ...]]:
    """The header text, and the path prefixes that get none."""
    nonce = _NONCE_HOLE if with_nonce else None
    name = "CONTENT_SECURITY_POLICY" + ("_REPORT_ONLY" if report_only else "")
    excluded = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
    return build_policy(nonce=nonce, report_only=report_only), tuple(excluded or ())


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy.cache_clear()


setting_changed.connect(_forget, dispatch_uid="tribune-csp")


class CSPMiddleware(BaseCSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if settings.DEBUG or any(
            getattr(response, name, None) is not None for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        for header, report_only, exempt in _HEADERS:
            text, excluded = _policy(report_only, nonce is not None)
            if not text or header in response or getattr(response, exempt, False):
                continue
            if request.path_info.startswith(excluded):
                continue
            response[header] = text.replace(_NONCE_HOLE, nonce) if nonce else text
        if nonce is None:
            # As django-csp does: a nonce asked for after the header is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
