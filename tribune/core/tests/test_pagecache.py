"""The whole-page cache: one render for many anonymous readers, fresh holes for each."""

from __future__ import annotations

import re
import uuid

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path

from tribune.core import pagecache

RENDERS: list[int] = []

PAGE = engines["django"].from_string(
    "<form method=post>{% csrf_token %}<input name=key value={{ key }}></form>"
    "<script nonce={{ request.csp_nonce }} src=/static/x.js></script><p>{{ n }}</p>"
)


def page_view(request: HttpRequest) -> HttpResponse:
    RENDERS.append(1)
    pagecache.mark(request, "p:1")
    key = pagecache.hole(request, "uuid")
    return HttpResponse(PAGE.render({"key": key, "n": len(RENDERS)}, request))


def private_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("<p>private</p>")
    response["Cache-Control"] = "private"
    return response


def post_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("posted")


urlpatterns = [
    path("page/", page_view),
    path("private/", private_view),
    path("post/", post_view),
]


@pytest.fixture(autouse=True)
def cached_site(settings) -> None:
    settings.ROOT_URLCONF = __name__
    settings.PAGECACHE_SECONDS = 60
    RENDERS.clear()
    from django.core.cache import cache

    cache.clear()


def _fields(response) -> tuple[str, str, str]:
    html = response.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    key = re.search(r"name=key value=([0-9a-f]+)", html).group(1)
    nonce = re.search(r"nonce=([^ ]+) ", html).group(1)
    return token, key, nonce


def test_second_anonymous_reader_is_served_from_the_cache() -> None:
    first = Client().get("/page/")
    second = Client().get("/page/")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert len(RENDERS) == 1
    assert "<p>1</p>" in second.content.decode()


def test_each_cached_copy_gets_its_own_csrf_token_key_and_nonce() -> None:
    first = Client().get("/page/")
    reader = Client(enforce_csrf_checks=True)
    second = reader.get("/page/")
    token1, key1, nonce1 = _fields(first)
    token2, key2, nonce2 = _fields(second)
    assert key1 != key2 and uuid.UUID(key2)
    assert nonce1 != nonce2
    assert f"'nonce-{nonce2}'" in second["Content-Security-Policy"]
    assert token2 != token1 and "csrftoken" in second.cookies
    assert reader.post("/post/", {"csrfmiddlewaretoken": token2}).status_code == 200


def test_a_token_from_another_readers_copy_is_refused() -> None:
    token1, _, _ = _fields(Client().get("/page/"))
    other = Client(enforce_csrf_checks=True)
    other.get("/page/")
    assert other.post("/post/", {"csrfmiddlewaretoken": token1}).status_code == 403


def test_invalidating_the_path_renders_the_page_again() -> None:
    Client().get("/page/")
    pagecache.invalidate("/page/")
    again = Client().get("/page/")
    assert again["X-Page-Cache"] == "miss" and len(RENDERS) == 2
    pagecache.invalidate_all()
    assert Client().get("/page/")["X-Page-Cache"] == "miss"


def test_readers_with_a_session_or_messages_bypass_the_cache() -> None:
    Client().get("/page/")
    for cookie in ("sessionid", "messages"):
        client = Client()
        client.cookies[cookie] = "x"
        response = client.get("/page/")
        assert "X-Page-Cache" not in response
    assert len(RENDERS) == 3


@pytest.fixture
def sharer():
    """Readers with a "reader" cookie share the public copy when it says "same"."""
    asked: list[list[str]] = []

    def share(request: HttpRequest, scopes: list[str]) -> bool:
        asked.append(scopes)
        return request.COOKIES["reader"] == "same"

    pagecache.register_sharer("reader", share)
    yield asked
    del pagecache._SHARERS["reader"]


def test_a_reader_with_a_checked_cookie_shares_only_when_the_sharer_agrees(
    sharer,
) -> None:
    own = Client()
    own.cookies["reader"] = "own"
    assert "X-Page-Cache" not in own.get("/page/")  # rendered for them, not kept
    assert Client().get("/page/")["X-Page-Cache"] == "miss"
    assert "X-Page-Cache" not in own.get("/page/")
    same = Client()
    same.cookies["reader"] = "same"
    assert same.get("/page/")["X-Page-Cache"] == "hit"
    assert sharer == [["p:1"], ["p:1"]] and len(RENDERS) == 3


def test_sort_cookie_selects_a_separate_copy() -> None:
    Client().get("/page/")
    client = Client()
    client.cookies["tribune_comment_sort"] = "newest"
    assert client.get("/page/")["X-Page-Cache"] == "miss"
    assert client.get("/page/")["X-Page-Cache"] == "hit"


def test_private_responses_and_query_variants_are_kept_apart() -> None:
    Client().get("/private/")
    assert "X-Page-Cache" not in Client().get("/private/")
    Client().get("/page/")
    assert Client().get("/page/?page=2")["X-Page-Cache"] == "miss"


def test_switched_off_when_seconds_is_zero(settings) -> None:
    settings.PAGECACHE_SECONDS = 0
    Client().get("/page/")
    Client().get("/page/")
    assert len(RENDERS) == 2
