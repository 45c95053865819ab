"""The messages middleware: Django's answers, the storage made only when used."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessages
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.test import RequestFactory
from django.utils.functional import empty

from tribune.core.messages import MessageMiddleware

pytestmark = pytest.mark.django_db

View = Callable[[HttpRequest], HttpResponse]


def _adds(request: HttpRequest) -> HttpResponse:
    messages.info(request, "Saved.")
    return HttpResponse("ok")


def _reads(request: HttpRequest) -> HttpResponse:
    return HttpResponse(" ".join(str(m) for m in messages.get_messages(request)))


def _ignores(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def _incoming_cookie() -> str:
    """A messages cookie as a previous response set it."""
    response = _answer(DjangoMessages, _adds, "")[1]
    return response.cookies["messages"].value


def _answer(
    middleware: type[DjangoMessages], view: View, cookie: str
) -> tuple[HttpRequest, HttpResponseBase]:
    request = RequestFactory().get(
        "/", HTTP_COOKIE=f"messages={cookie}" if cookie else ""
    )
    request.session = SessionStore()
    return request, middleware(view)(request)


@pytest.mark.parametrize("view", [_adds, _reads, _ignores])
@pytest.mark.parametrize("with_cookie", [False, True])
def test_the_response_is_djangos(view: View, with_cookie: bool) -> None:
    """Body, headers and cookies as Django's middleware leaves them: a message
    added is stored, one read is consumed, one not read stays where it was."""
    cookie = _incoming_cookie() if with_cookie else ""
    _, ours = _answer(MessageMiddleware, view, cookie)
    _, djangos = _answer(DjangoMessages, view, cookie)
    assert ours.content == djangos.content
    assert dict(ours.headers) == dict(djangos.headers)
    assert {k: v.output() for k, v in ours.cookies.items()} == {
        k: v.output() for k, v in djangos.cookies.items()
    }
    if view is _reads and with_cookie:
        assert ours.content == b"Saved."


def test_a_request_that_uses_no_message_makes_no_storage() -> None:
    request, _ = _answer(MessageMiddleware, _ignores, _incoming_cookie())
    assert request._messages._wrapped is empty  # type: ignore[attr-defined]
    request, _ = _answer(MessageMiddleware, _adds, "")
    assert request._messages._wrapped is not empty  # type: ignore[attr-defined]
