"""What every JSON API shares, on django-ninja (decision 0015): one error shape,
JSON-object bodies, CSRF on cookie-authenticated writes, 405 in JSON, and a cached
OpenAPI document.

An app's `api.py` makes one `JsonApi`, declares its operations with typed schemas
and adds `api.urlpatterns()` to its `urls.py`; the OpenAPI document is generated
from those types, so it cannot drift from what the code accepts and answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, cast

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import URLPattern, get_script_prefix, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from pydantic import BaseModel

# Methods a browser sends without a CSRF check (RFC 9110 "safe").
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# The order an Allow header lists methods in.
_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class ApiError(Exception):
    """A request an API refuses, answered as {"error": {"code", "message"[, "field"]}}.

    Raised by views, by the request checks here, and by schema validators (an
    exception other than ValueError leaves pydantic as it is, so a validator can
    name the exact code and message).
    """

    def __init__(
        self, code: str, message: str, status: int = 400, field: str | None = None
    ) -> None:
        self.code, self.message, self.status, self.field = code, message, status, field
        super().__init__(message)


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    # A field the client may send back as true to go ahead anyway (409 answers).
    confirm: str | None = None


class Error(BaseModel):
    """The one error shape of every API; `field` names the input at fault."""

    error: ErrorDetail


def error_response(
    code: str,
    message: str,
    status: int,
    field: str | None = None,
    confirm: str | None = None,
) -> JsonResponse:
    """The API's one error shape: {"error": {"code", "message"[, "field"]
    [, "confirm"]}}."""
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if field:
        body["field"] = field
    if confirm:
        body["confirm"] = confirm
    return JsonResponse({"error": body}, status=status)


class JsonObjectParser(Parser):
    """Request bodies are one JSON object; anything else is `bad_json`."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            # RecursionError: arrays or objects nested thousands deep.
            raise ApiError("bad_json", _("The body is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise ApiError("bad_json", _("The body must be a JSON object."))
        return data


def check_write(request: HttpRequest) -> bool:
    """Guard every operation (as ninja's `auth`): a write's body is JSON within
    DATA_UPLOAD_MAX_MEMORY_SIZE, then Django's CSRF check passes.

    Readers are known by cookies (session or guest), so a write from another
    site must be refused like a form post. The body is checked first: the CSRF
    check parses form bodies (and fails on a malformed multipart one). Reads
    always pass; nobody is refused for lack of an account.
    """
    if request.method in SAFE_METHODS:
        return True
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError("too_large", _("The request body is too large."), 413) from None
    if raw and request.content_type != "application/json":
        raise ApiError(
            "unsupported_media_type", _("Send the body as application/json."), 415
        )
    if _csrf_refused(request):
        raise ApiError(
            "csrf_failed",
            _("The request lacks a valid CSRF token; reload the page and try again."),
            403,
        )
    return True


def _write(request: HttpRequest) -> HttpResponse:
    """The view Django's CSRF check is asked about: a write that is not exempt."""
    raise AssertionError("never called")  # pragma: no cover


# Django's CSRF check, one per process (and per CSRF_TRUSTED_ORIGINS: the
# origins it allows are worked out once, as by Django's own middleware).
_kept: tuple[object, CsrfViewMiddleware] | None = None


def _csrf_refused(request: HttpRequest) -> bool:
    """Whether Django's CSRF check refuses this write (ninja's `check_csrf`
    without a new middleware per request, and without reading the secret
    again where Django's middleware, earlier in MIDDLEWARE, has read it)."""
    global _kept
    origins = settings.CSRF_TRUSTED_ORIGINS
    if _kept is None or _kept[0] is not origins:
        _kept = (origins, CsrfViewMiddleware(_write))
    check = _kept[1]
    if "CSRF_COOKIE" not in request.META:
        check.process_request(request)
    request.csrf_processing_done = False  # type: ignore[attr-defined]
    return check.process_view(request, _write, (), {}) is not None


# The X-CSRFToken header every write documents (checked by check_write, which
# also takes the token from elsewhere where Django does).
CSRF_HEADER = {
    "parameters": [
        {
            "name": "X-CSRFToken",
            "in": "header",
            "required": True,
            "description": "The csrftoken cookie's value; every write needs it.",
            "schema": {"type": "string"},
        }
    ]
}

# What a pydantic error type means for the reader, by the kind of value expected.
_MUST_BE_STRING = gettext_lazy("%(name)s must be a string.")
_MUST_BE_NUMBER = gettext_lazy("%(name)s must be a whole number.")
_MUST_BE_BOOLEAN = gettext_lazy("%(name)s must be true or false.")
_MUST_BE_OBJECT = gettext_lazy("%(name)s must be an object.")
_MESSAGES = {
    "string_type": _MUST_BE_STRING,
    "int_type": _MUST_BE_NUMBER,
    "int_parsing": _MUST_BE_NUMBER,
    "int_from_float": _MUST_BE_NUMBER,
    "bool_type": _MUST_BE_BOOLEAN,
    "bool_parsing": _MUST_BE_BOOLEAN,
    "model_type": _MUST_BE_OBJECT,
    "model_attributes_type": _MUST_BE_OBJECT,
    "dict_type": _MUST_BE_OBJECT,
    "list_type": gettext_lazy("%(name)s must be a list."),
    "missing": gettext_lazy("%(name)s is required."),
}
_NOT_VALID = gettext_lazy("%(name)s is not valid.")


def invalid_input(exc: ValidationError) -> tuple[str, str, str | None]:
    """Code, message and field of the first problem ninja's validation found.

    A location is (source, [parameter,] field...): the body's parameter name is
    not the reader's concern, so the field is the innermost name given.
    """
    first = exc.errors[0]
    loc = [part for part in first.get("loc", ()) if isinstance(part, str)]
    if len(loc) == 2 and loc[0] == "body":  # no body where one is needed
        return "bad_json", _("The body must be a JSON object."), None
    names = loc[2:] if loc[:1] == ["body"] else loc[1:]
    field = names[-1] if names else None
    text = _MESSAGES.get(first.get("type", ""), _NOT_VALID)
    return "bad_type", str(text) % {"name": field or "body"}, field


def method_not_allowed(allow: str) -> JsonResponse:
    """405 in the error shape, with the Allow header."""
    refusal = error_response(
        "method_not_allowed", _("Use %(methods)s here.") % {"methods": allow}, 405
    )
    refusal["Allow"] = allow
    return refusal


def _allow(response: HttpResponseBase) -> str:
    allowed = {m.strip() for m in response.get("Allow", "").split(",") if m.strip()}
    return ", ".join(m for m in _METHOD_ORDER if m in allowed)


def _json_not_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., Any]:
    """Ninja answers a method no operation takes with a bare 405; say it in JSON."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        return method_not_allowed(_allow(response))

    return wrapper


class Refusal(Protocol):
    """What an app's own error class carries to be answered in the error shape
    (and optionally `confirm`, the field that lets the client go ahead)."""

    code: str
    message: str
    status: int
    field: str | None


class JsonApi(NinjaAPI):
    """A NinjaAPI mounted at `mount` (e.g. "/api/") with Tribune's conventions.

    `refusals` are the app's own exception classes that carry a code, message,
    status and field (like ApiError); they are answered in the error shape.
    """

    def __init__(
        self, *, mount: str, refusals: tuple[type[Exception], ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(
            openapi_url=None,
            docs_url=None,  # no Swagger page: it loads scripts the CSP refuses
            parser=JsonObjectParser(),
            auth=check_write,
            **kwargs,
        )
        self.mount = mount
        self._documents: dict[str, dict[str, Any]] = {}
        self._refusals: tuple[type[Exception], ...] = (ApiError, *refusals)
        handled: tuple[type[Exception], ...] = (ValidationError, HttpError, Http404)
        for kind in self._refusals + handled:
            self.add_exception_handler(kind, self._answer)

    def _answer(
        self, request: HttpRequest, exc: Exception | type[Exception]
    ) -> HttpResponse:
        """Every refusal in the one error shape; ninja's own errors too."""
        if isinstance(exc, HttpError) and isinstance(exc.__cause__, ApiError):
            exc = exc.__cause__  # ninja wraps what the parser raised
        if isinstance(exc, self._refusals):
            refusal = cast(Refusal, exc)
            return error_response(
                refusal.code,
                refusal.message,
                refusal.status,
                refusal.field,
                getattr(refusal, "confirm", None),
            )
        if isinstance(exc, ValidationError):
            code, message, field = invalid_input(exc)
            return error_response(code, message, 400, field)
        if isinstance(exc, HttpError):
            return error_response("invalid", exc.message, exc.status_code)
        return error_response("not_found", _("There is no such API endpoint."), 404)

    def answer(
        self,
        request: HttpRequest,
        response: HttpResponse,
        status: int,
        body: dict[str, Any],
    ) -> HttpResponse:
        """`body` as the operation's answer, rendered by the API's renderer into
        the response ninja handed the view (with the headers and cookies the
        view set on it), as ninja answers a plain value, but not validated
        again against the operation's schema: for bodies built from typed
        values, whose schema a test checks (the validation cost a write about
        a twentieth of its calls).
        """
        response.status_code = status
        response.content = self.renderer.render(request, body, response_status=status)
        return response

    def document(self) -> dict[str, Any]:
        """The OpenAPI 3.1 document, generated once per process (and script prefix)."""
        prefix = get_script_prefix().rstrip("/") + self.mount
        if prefix not in self._documents:
            # Through JSON once: status codes become the strings clients see.
            schema = self.get_openapi_schema(path_prefix=prefix)
            self._documents[prefix] = json.loads(json.dumps(schema))
        return self._documents[prefix]

    def serve_document(self, request: HttpRequest) -> HttpResponse:
        """GET the OpenAPI document; any other method is refused in JSON."""
        if request.method != "GET":
            return method_not_allowed("GET")
        return JsonResponse(self.document())

    def urlpatterns(self, *, document: str, name: str) -> list[URLPattern]:
        """The operations' routes (relative to the mount) and the document's route.

        Ninja's own root route (only a marker for reverse()) is left out: the
        document is generated with its path prefix given, and the app's own
        catch-all keeps answering unknown paths.
        """
        document_view = csrf_exempt(self.serve_document)
        patterns: list[URLPattern] = [path(document, document_view, name=name)]
        for pattern in self.urls[0]:
            if isinstance(pattern, URLPattern) and pattern.name != "api-root":
                patterns.append(
                    URLPattern(
                        pattern.pattern,
                        _json_not_allowed(pattern.callback),
                        pattern.default_args,
                        pattern.name,
                    )
                )
        return patterns
