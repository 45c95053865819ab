"""Gzip answers of stored page copies, compressed when the copy is stored.

Django's GZipMiddleware compresses each response: for a page-cache hit of a
170 KB page that was about 0.8 ms, several times the rest of the hit. A copy's
texts between its holes are compressed once when it is stored (core/gzipparts.py)
and each hit's values go in uncompressed; the shared copy, the same bytes for
every reader, is compressed whole once. Responses that get an encoding here are
left alone by GZipMiddleware.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from tribune.core import gzipparts

# A stored copy's texts compressed once, and the length each hole's value has.
Compressed = tuple[tuple[bytes, ...], tuple[int, ...]]
# As GZipMiddleware reads Accept-Encoding.
_TAKES_GZIP = re.compile(r"\bgzip\b")
_SMALLEST = 200  # GZipMiddleware leaves shorter bodies alone


def takes_gzip(request: HttpRequest) -> bool:
    return bool(_TAKES_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def compress_copy(
    parts: Sequence[bytes],
    headers: Sequence[tuple[str, str]],
    lengths: dict[bytes, set[int]],
) -> Compressed | None:
    """The copy's texts (even `parts`) compressed once, with the length each
    hole's value (odd `parts`, by kind) must have; None where GZipMiddleware
    would not compress the copy, or where a kind of hole had values of
    different lengths (`lengths`: those of the render that made the copy).
    """
    if len(parts) == 1 and len(parts[0]) < _SMALLEST:
        return None
    if any(name.lower() == "content-encoding" for name, _ in headers):
        return None
    sizes = []
    for name in parts[1::2]:
        if len(lengths.get(name, ())) != 1:
            return None
        sizes.append(next(iter(lengths[name])))
    try:
        return gzipparts.compress_texts(parts[0::2], sizes), tuple(sizes)
    except ValueError:  # not UTF-8
        return None


def compress_shared(body: bytes) -> bytes:
    """The shared copy compressed, without the random padding Django adds
    against BREACH: that attack needs a secret in the body, and the shared copy
    carries none (no token, no cookie, nothing of a reader)."""
    return compress_string(body)


def answer(
    request: HttpRequest,
    parts: Sequence[bytes],
    compressed: Compressed | None,
    values: Sequence[bytes],
    headers: Sequence[tuple[str, str]],
) -> HttpResponse:
    """The copy with `values` in its holes, gzipped from its compressed texts
    when the browser takes gzip (GZipMiddleware leaves a response that has an
    encoding alone), plain otherwise."""
    texts = parts[0::2]
    member = None
    if compressed is not None and takes_gzip(request):
        member = gzipparts.assemble(texts, *compressed, values)
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
        response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ("Accept-Encoding",))
    response["Content-Length"] = str(len(response.content))
    return response
