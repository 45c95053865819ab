"""Whole-page cache for anonymous readers, with per-request holes (CSRF token, nonces).

A page a reader without a session sees is the same for everyone, so it is rendered
once and served from the cache until its path is invalidated or a short time passes.
Copies live in each process's "local" cache under a key that includes generation
numbers kept in the shared "default" cache, so an invalidation in one process is
seen by all of them at their next request.
The few values that must differ per request are "holes": the rendered value is
swapped for a placeholder when the page is stored and a fresh value is made for
every request that is served from the cache. Only values made during the render
(through `hole`, the `csrf_token` of templates, the CSP nonce) become holes, and the
placeholder carries a secret made by each process, so no text a reader or editor
stored can open one.
Only the query parameters pages read take part in the key; a request with any other
parameter is rendered and not kept, so junk query strings add no copies.

The middleware sits just inside GZip, so a hit skips sessions, locale, CSRF, auth,
CSP and the view: the stored copy keeps the headers those added (the CSP header
with a hole for the nonce), and the CSRF cookie and tokens of a hit are made with
Django's own CSRF middleware methods.

The shared copy (decision 0024): a page that marks `SHARED_SCOPE` has a script that
fetches the reader's own state and CSRF token. A reader whose browser runs it (the
script sets `SCRIPT_COOKIE`) gets the stored copy with every hole left empty: the
same bytes for everyone, whoever they are, with no cookie set, so a proxy in front
(nginx's micro-cache, a CDN) may keep it for `SHARED_SECONDS`. Readers without the
script cookie are served as before, personally when their cookies say so.

Browsers that take gzip get a copy compressed once, on the first such hit, its holes
filled in uncompressed (core/pagegzip.py), rather than the whole page compressed
anew by GZipMiddleware for every hit.
"""

from __future__ import annotations

import base64
import copy
import os
import re
import secrets
import uuid
from collections.abc import Callable, Sequence
from hashlib import blake2b
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import (  # type: ignore[attr-defined]  # not in the stubs
    CsrfViewMiddleware,
    _unmask_cipher_token,
)
from django.utils import translation
from django.utils.http import urlencode

from tribune.core import generations, pagegzip
from tribune.core.csrftokens import get_token

T = TypeVar("T")
Generator = Callable[[HttpRequest], str]
# Given a request and the scopes a stored page declared, whether this reader's
# copy of the page would be the same as everyone's.
Sharer = Callable[[HttpRequest, Sequence[str]], bool]

_GENERATORS: dict[str, Generator] = {
    "uuid": lambda request: uuid.uuid4().hex,
    "csrf": get_token,
}
_CSRF_FIELD = re.compile(
    rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{32,64})(")'
)
# Placeholders are U+E000 secret:name U+E001. The secret is made afresh by each
# process and never leaves it (copies are stored already split at the holes),
# so no stored text can contain a placeholder.
_SECRET = secrets.token_hex(16)
_HOLE = re.compile(b"\xee\x80\x80" + _SECRET.encode() + rb":([a-z0-9_.]+)\xee\x80\x81")
# The parameters pages read (feeds, search, pagination, the comment section).
QUERY_PARAMS = ("page", "q", "full", "cpage", "call", "comment", "replyto", "sort")
_GLOBAL_GENERATION = "pagecache:generation"
# Headers a copy does not keep: per-response, or set again when it is served.
_NOT_STORED = {"set-cookie", "content-length", "x-page-cache", "date"}
# The scope a page marks when its script fills in each reader's state itself.
SHARED_SCOPE = "pagecache:shared"


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, f"PAGECACHE_{name}", default)


def register_generator(name: str, generator: Generator) -> None:
    """Let an app name a kind of hole (e.g. a signed timestamp); call it in ready()."""
    _GENERATORS[name] = generator


_SHARERS: dict[str, Sharer] = {}


def register_sharer(cookie: str, sharer: Sharer) -> None:
    """Let readers carrying `cookie` share the public copy when `sharer` agrees.

    Such readers are otherwise told apart (their page may show what is theirs):
    their own renders are never stored, and they get the stored copy only when
    every sharer for their cookies returns True. Call it in ready().
    """
    _SHARERS[cookie] = sharer


def mark(request: HttpRequest | None, scope: str) -> None:
    """Note that the page shows something `scope` names (e.g. one report's thread),
    for the sharers to look at when a reader with a cookie asks for it."""
    if request is not None:
        request.__dict__.setdefault("_pagecache_scopes", []).append(scope)


def hole(request: HttpRequest | None, name: str) -> str:
    """A fresh value of kind `name` for this response, remembered as a hole.

    Use it for any value that must differ per reader (idempotency keys, signed
    timestamps). Without a request the value is simply returned.
    """
    value = _GENERATORS[name](request) if request is not None else ""
    if request is not None:
        request.__dict__.setdefault("_pagecache_holes", {})[value] = name
    return value


def invalidate(path: str) -> None:
    """Drop cached copies of the page at `path` (all query strings and variants).

    While the shared cache is away every page is dropped once it is back.
    """
    if not generations.advance(_generation_key(path)):
        invalidate_all()


def invalidate_all() -> None:
    """Drop every cached page, e.g. when something shown on all pages changed."""
    generations.advance(_GLOBAL_GENERATION)


def _generation_key(path: str) -> str:
    return "pagecache:gen:" + blake2b(path.encode(), digest_size=16).hexdigest()


def _bypass(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return True
    cookies = request.COOKIES
    return any(name in cookies for name in _setting("BYPASS_COOKIES", []))


def _runs_script(request: HttpRequest) -> bool:
    """Whether this reader may get the shared copy: their browser runs the page
    scripts, and no cookie asks for a page of their own (staff, a flash message)."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and _setting("SCRIPT_COOKIE", "tribune_js") in cookies
        and not any(name in cookies for name in _setting("SHARED_BYPASS_COOKIES", []))
    )


def _query(request: HttpRequest) -> str | None:
    """The query string in a normal form, or None if it has a parameter no page
    reads (such a request is rendered and never kept)."""
    allowed = _setting("QUERY_PARAMS", QUERY_PARAMS)
    items = sorted(request.GET.lists())  # by name; a name's values keep their order
    if any(name not in allowed for name, _ in items):
        return None
    return urlencode([(name, value) for name, values in items for value in values])


def _page_key(request: HttpRequest, language: str, query: str) -> str | None:
    """The key of this request's copy; None while the shared cache is away."""
    path = request.path
    numbers = cache.get_many([_GLOBAL_GENERATION, _generation_key(path)])
    if _GLOBAL_GENERATION not in numbers:  # missing, or the cache is away
        numbers[_GLOBAL_GENERATION] = generations.current(_GLOBAL_GENERATION)
    if numbers[_GLOBAL_GENERATION] is None:
        return None
    variant = [
        path,
        query,
        request.get_host(),
        language,
        str(numbers[_GLOBAL_GENERATION]),
        str(numbers.get(_generation_key(path), 0)),
        *(request.COOKIES.get(name, "") for name in _setting("VARY_COOKIES", [])),
    ]
    digest = blake2b("\n".join(variant).encode(), digest_size=20).hexdigest()
    return f"pagecache:page:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(
        word in cache_control for word in ("private", "no-store", "no-cache")
    )


def _placeholder(name: str) -> bytes:
    return ("\ue000" + _SECRET + ":" + name + "\ue001").encode()


_NONCE_HOLE = _placeholder("csp_nonce").decode()


def _punch_holes(request: HttpRequest, content: bytes) -> bytes:
    for value, name in request.__dict__.get("_pagecache_holes", {}).items():
        if value:
            content = content.replace(value.encode(), _placeholder(name))
    nonce = request.__dict__.get("_csp_nonce")
    if nonce:
        content = content.replace(nonce.encode(), _placeholder("csp_nonce"))
    return content


def _carries_csrf_token(request: HttpRequest, content: bytes) -> bool:
    """Whether a token of this reader's CSRF secret is left in the page (rendered
    other than through `hole`): such a copy is not kept. Text that only looks like
    a token field (a comment can) is left alone."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return False
    return any(
        _unmask_cipher_token(m[2].decode()) == secret
        for m in _CSRF_FIELD.finditer(content)
        if len(m[2]) == 64  # a masked token, as Django makes them
    )


def _split(content: bytes) -> list[bytes]:
    """Text and hole names alternating (names at odd indexes), joined when served."""
    return _HOLE.split(content)


def _shared_body(
    parts: list[bytes], headers: list[tuple[str, str]], scopes: list[str]
) -> bytes | None:
    """The copy with every hole empty, for readers whose script fills them in;
    None when the page has no such script or needs a CSP nonce (a nonce is
    per response by definition)."""
    if SHARED_SCOPE not in scopes or b"csp_nonce" in parts[1::2]:
        return None
    if any(_NONCE_HOLE in value for _, value in headers):
        return None
    return b"".join(parts[0::2])


def _hole_lengths(request: HttpRequest) -> dict[bytes, set[int]]:
    """The lengths the values of each kind of hole had in this render."""
    lengths: dict[bytes, set[int]] = {}
    for value, name in request.__dict__.get("_pagecache_holes", {}).items():
        lengths.setdefault(name.encode(), set()).add(len(value.encode()))
    nonce = request.__dict__.get("_csp_nonce")
    if nonce:
        lengths[b"csp_nonce"] = {len(nonce.encode())}
    return lengths


def _hole_values(
    request: HttpRequest, names: Sequence[bytes], nonce: str
) -> list[bytes]:
    values = []
    csrf = b""
    for name in names:
        # One CSRF token and one nonce per response; every other hole is unique.
        if name == b"csp_nonce":
            values.append(nonce.encode())
        elif name == b"csrf":
            csrf = csrf or get_token(request).encode()
            values.append(csrf)
        else:
            # A generator unregistered since the copy was made leaves it empty.
            generator = _GENERATORS.get(name.decode())
            values.append(generator(request).encode() if generator else b"")
    return values


def _once(key: str, make: Callable[..., T], *args: Any) -> T:
    """`make(*args)` kept in the local cache under `key` (a stored copy's own
    name, so it goes with that copy) for as long as copies are kept."""
    local = caches["local"]
    kept = local.get(key)
    if kept is None:
        kept = (make(*args),)  # a tuple, so that a None answer is kept too
        local.set(key, kept, _setting("SECONDS", 0))
    return kept[0]


def _new_nonce() -> str:
    # The form django-csp gives its nonces.
    return base64.b64encode(os.urandom(16)).decode("ascii")


class PageCacheMiddleware:
    """Serve anonymous GETs from the cache; sits outside CSRF, CSP and the rest."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        seconds = _setting("SECONDS", 0)
        shared = _runs_script(request)
        bypass = _bypass(request)
        if not seconds or (bypass and not shared):
            return self.get_response(request)
        query = _query(request)
        if query is None:
            return self.get_response(request)
        key = _page_key(request, translation.get_language_from_request(request), query)
        if key is None:
            return self.get_response(request)
        stored = caches["local"].get(key)
        if stored is None and shared:
            # The first scripted reader after an invalidation is often one who
            # takes part (they just posted or voted): store the anonymous render
            # for them rather than render their own, which no one else could use.
            stored, anonymous = self._store_anonymous(request, key, seconds)
            if stored is None and anonymous is not None:
                return anonymous  # not storable, and the reader's own render too
        if stored is not None:
            return self._answer(request, stored, shared=shared, bypass=bypass)
        if bypass:
            # A signed-in reader's own render, until an anonymous one is stored.
            return self.get_response(request)
        response = self.get_response(request)
        if not any(name in request.COOKIES for name in _SHARERS) and _storable(
            request, response
        ):
            self._store(request, response, key, seconds)
        return response

    def _answer(
        self, request: HttpRequest, stored: Any, *, shared: bool, bypass: bool
    ) -> HttpResponseBase:
        """The shared copy, the copy with its holes filled, or the reader's own."""
        parts, headers, scopes, body, sizes, copy_key = stored
        if shared and body is not None:
            gzipped = None
            if sizes is not None and pagegzip.takes_gzip(request):
                gzipped = _once(f"{copy_key}:whole", pagegzip.compress_shared, body)
            return self._serve_shared(body, gzipped, headers)
        sharers = [fn for name, fn in _SHARERS.items() if name in request.COOKIES]
        if not bypass and all(share(request, scopes) for share in sharers):
            compressed = None
            if sizes is not None and pagegzip.takes_gzip(request):
                make = pagegzip.compress_texts
                compressed = _once(f"{copy_key}:texts", make, parts, sizes)
            return self._serve(request, parts, compressed, sizes, headers)
        return self.get_response(request)

    def _store_anonymous(
        self, request: HttpRequest, key: str, seconds: int
    ) -> tuple[tuple[Any, ...] | None, HttpResponseBase | None]:
        """Render the page as a reader without cookies would get it and store it.

        Only the cookies that choose a variant of the page (its key), the
        language and the CSRF secret (which the stored copy never keeps) stay,
        so nothing of this reader can reach the copy. Returns the stored copy,
        or None and, when the reader has no other cookie, the render itself
        (it is theirs: a page that is not stored is answered with it).
        """
        unshared = key + ":unshared"  # not storable: do not render it twice again
        if caches["local"].get(unshared):
            return None, None
        kept = [
            *_setting("VARY_COOKIES", []),
            settings.LANGUAGE_COOKIE_NAME,
            settings.CSRF_COOKIE_NAME,
        ]
        own = set(request.COOKIES) <= {*kept, _setting("SCRIPT_COOKIE", "tribune_js")}
        anonymous = copy.copy(request)
        anonymous.__dict__ = {
            name: value
            for name, value in request.__dict__.items()
            if not name.startswith("_pagecache_")
        }
        anonymous.COOKIES = {
            name: value for name, value in request.COOKIES.items() if name in kept
        }
        response = self.get_response(anonymous)
        stored = None
        if isinstance(response, HttpResponse) and _storable(anonymous, response):
            stored = self._store(anonymous, response, key, seconds)
        if stored is not None:
            return stored, None
        if own:
            return None, response
        caches["local"].set(unshared, True, seconds)
        return None, None

    def _store(
        self, request: HttpRequest, response: HttpResponse, key: str, seconds: int
    ) -> tuple[Any, ...] | None:
        """Keep a copy of a fresh response, its per-reader parts cut out as holes."""
        content = _punch_holes(request, response.content)
        if _carries_csrf_token(request, content):
            return None
        parts = _split(content)
        nonce = request.__dict__.get("_csp_nonce") or "\0"
        headers = [
            (name, value.replace(nonce, _NONCE_HOLE))
            for name, value in response.items()
            if name.lower() not in _NOT_STORED
        ]
        scopes = request.__dict__.get("_pagecache_scopes", [])
        body = _shared_body(parts, headers, scopes)
        sizes = pagegzip.hole_sizes(parts, headers, _hole_lengths(request))
        # All tuples, bytes and strings: the local cache hands the copy out
        # as it is, unpickled, on every hit (core/memorycache.py). The last
        # item names this copy's compressed forms, made on first demand.
        stored = (
            tuple(parts),
            tuple(headers),
            tuple(scopes),
            body,
            sizes,
            f"{key}:gzip:{uuid.uuid4().hex}",
        )
        caches["local"].set(key, stored, seconds)
        response["X-Page-Cache"] = "miss"
        return stored

    def _serve_shared(
        self,
        body: bytes,
        gzipped: bytes | None,
        headers: Sequence[tuple[str, str]],
    ) -> HttpResponseBase:
        """The same bytes and headers for every reader: no cookie, no token;
        `gzipped` (compressed once) for browsers that take gzip."""
        response = HttpResponse(body if gzipped is None else gzipped)
        for name, value in headers:
            response[name] = value
        if gzipped is not None:
            pagegzip.mark_gzipped(response)
        response["Content-Length"] = str(len(response.content))
        if "Vary" in response:
            # The same bytes whatever the cookies (a proxy keys on the few that
            # choose a variant: deploy/nginx/tribune.conf), so not one per header.
            varies = [v.strip() for v in response["Vary"].split(",")]
            response["Vary"] = ", ".join(v for v in varies if v.lower() != "cookie")
            if not response["Vary"]:
                del response["Vary"]
        response["X-Page-Cache"] = "shared"
        # nginx keeps the copy this long (and does not pass the header on).
        response["X-Accel-Expires"] = str(_setting("SHARED_SECONDS", 5))
        return response

    def _serve(
        self,
        request: HttpRequest,
        parts: Sequence[bytes],
        compressed: tuple[bytes, ...] | None,
        sizes: Sequence[int] | None,
        headers: Sequence[tuple[str, str]],
    ) -> HttpResponseBase:
        self.csrf.process_request(request)  # the reader's CSRF secret, if any
        nonce = _new_nonce()
        values = _hole_values(request, parts[1::2], nonce)
        filled = [(name, value.replace(_NONCE_HOLE, nonce)) for name, value in headers]
        response = pagegzip.answer(parts, compressed, sizes or (), values, filled)
        response["X-Page-Cache"] = "hit"
        # Sets the CSRF cookie when this reader had none.
        return self.csrf.process_response(request, response)
