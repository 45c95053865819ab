"""The whole-page cache: one render for many anonymous readers, fresh holes for each."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

import pytest
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.test import Client
from django.urls import path

from tribune.core import pagecache
from tribune.core.memorycache import MemoryCache

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


FORGED = 'name="csrfmiddlewaretoken" value="' + "A" * 64 + '"'


def forged_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<p>{FORGED}</p>")


def leaky_view(request: HttpRequest) -> HttpResponse:
    token = get_token(request)  # not through pagecache.hole
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{token}">')


def gone_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<p>[{pagecache.hole(request, 'gone_generator')}]</p>")


def big_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<p>{request.GET.get('page')}</p>" + "x" * 10_000)


urlpatterns = [
    path("page/", page_view),
    path("private/", private_view),
    path("post/", post_view),
    path("big/", big_view),
    path("forged/", forged_view),
    path("leaky/", leaky_view),
    path("gone/", gone_view),
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

    def share(request: HttpRequest, scopes: Sequence[str]) -> bool:
        asked.append(list(scopes))
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


def _stored_pages() -> list[str]:
    local = caches["local"]
    assert isinstance(local, MemoryCache)
    return [key for key in local.lru_keys() if "pagecache:page:" in key]


def test_junk_query_strings_add_no_stored_copies() -> None:
    Client().get("/page/")
    stored = _stored_pages()
    for n in range(500):
        response = Client().get(f"/page/?utm_source={n}&x=1")
        assert response.status_code == 200 and "X-Page-Cache" not in response
    assert _stored_pages() == stored
    assert len(RENDERS) == 501


def test_allowed_parameters_are_keyed_in_a_normal_order() -> None:
    assert Client().get("/page/?page=2&q=bridge")["X-Page-Cache"] == "miss"
    assert Client().get("/page/?q=bridge&page=2")["X-Page-Cache"] == "hit"
    assert Client().get("/page/?q=bridge&page=2&junk=1").get("X-Page-Cache") is None


def test_local_cache_stays_within_its_byte_bound(settings) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "local": {
            "BACKEND": "tribune.core.memorycache.MemoryCache",
            "LOCATION": "tests-bounded",
            "OPTIONS": {"MAX_BYTES": 100_000},
        },
    }
    local = caches["local"]
    local.clear()
    for n in range(60):  # about 600 kB of pages
        assert Client().get(f"/big/?page={n}")["X-Page-Cache"] == "miss"
        assert local.total_bytes <= 100_000
    assert 0 < len(_stored_pages()) < 10
    # The most recent pages stay; the oldest went first.
    assert Client().get("/big/?page=59")["X-Page-Cache"] == "hit"
    assert Client().get("/big/?page=0")["X-Page-Cache"] == "miss"


def test_forged_token_field_in_page_text_is_left_alone() -> None:
    Client().get("/forged/")
    hit = Client().get("/forged/")
    assert hit["X-Page-Cache"] == "hit"
    assert FORGED in hit.content.decode()


def test_a_page_carrying_the_readers_own_token_outside_a_hole_is_not_kept() -> None:
    first = Client().get("/leaky/")
    second = Client().get("/leaky/")
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second


def test_an_unknown_hole_name_in_a_stored_copy_is_served_empty() -> None:
    name = "gone_generator"
    pagecache.register_generator(name, lambda request: "fresh")
    try:
        assert Client().get("/gone/")["X-Page-Cache"] == "miss"
    finally:
        del pagecache._GENERATORS[name]
    hit = Client().get("/gone/")
    assert hit.status_code == 200 and hit["X-Page-Cache"] == "hit"
    assert hit.content.decode() == "<p>[]</p>"
