"""Gzip answers of stored page copies, each compressed once.

Django's GZipMiddleware compresses each response: for a page-cache hit of a
170 KB page that was about 0.8 ms, several times the rest of the hit. A copy's
texts between its holes are compressed once (core/gzipparts.py) and each hit's
values go in uncompressed; the shared copy, the same bytes for every reader, is
compressed whole once. The page cache asks for each on the first hit that takes
gzip, so a copy pays only for the variant its readers want. Responses that get
an encoding here are left alone by GZipMiddleware.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from tribune.core import gzipparts

_SMALLEST = 200  # GZipMiddleware leaves shorter bodies alone


def takes_gzip(request: HttpRequest) -> bool:
    """Whether GZipMiddleware would compress for this browser."""
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def hole_sizes(
    parts: Sequence[bytes],
    headers: Sequence[tuple[str, str]],
    lengths: dict[bytes, set[int]],
) -> tuple[int, ...] | None:
    """The length each hole's value (odd `parts`, by kind) must have for the
    copy's texts to be compressed once; None where GZipMiddleware would not
    compress the copy, or where a kind of hole had values of different lengths
    (`lengths`: those of the render that made the copy)."""
    if len(parts) == 1 and len(parts[0]) < _SMALLEST:
        return None
    if any(name.lower() == "content-encoding" for name, _ in headers):
        return None
    sizes = []
    for name in parts[1::2]:
        if len(lengths.get(name, ())) != 1:
            return None
        sizes.append(next(iter(lengths[name])))
    return tuple(sizes)


def compress_texts(
    parts: Sequence[bytes], sizes: Sequence[int]
) -> tuple[bytes, ...] | None:
    """The copy's texts (even `parts`) compressed for holes of `sizes`; None
    for a copy that is not UTF-8."""
    try:
        return gzipparts.compress_texts(parts[0::2], sizes)
    except ValueError:
        return None


def compress_shared(body: bytes) -> bytes:
    """The shared copy compressed, without the random padding Django adds
    against BREACH: that attack needs a secret in the body, and the shared copy
    carries none (no token, no cookie, nothing of a reader)."""
    return compress_string(body)


def mark_gzipped(response: HttpResponse) -> None:
    """Headers of an answer compressed here (GZipMiddleware then skips it)."""
    response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))


def answer(
    parts: Sequence[bytes],
    compressed: tuple[bytes, ...] | None,
    sizes: Sequence[int],
    values: Sequence[bytes],
    headers: Sequence[tuple[str, str]],
) -> HttpResponse:
    """The copy with `values` in its holes: gzipped from its `compressed`
    texts when given (the browser takes gzip), plain otherwise."""
    texts = parts[0::2]
    member = None
    if compressed is not None:
        member = gzipparts.assemble(texts, compressed, sizes, values)
    if member is None:
        joined = [texts[0]]
        for filled, text in zip(values, texts[1:], strict=True):
            joined += (filled, text)
        response = HttpResponse(b"".join(joined))
    else:
        response = HttpResponse(member)
    for name, value in headers:
        response[name] = value
    if member is not None:
        mark_gzipped(response)
    response["Content-Length"] = str(len(response.content))
    return response
