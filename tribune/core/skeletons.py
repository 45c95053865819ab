"""Fragments rendered once per process and language, filled with each request's holes.

A fresh form (the comment form, the subscribe bar) looks the same to every reader
but for a few per-request values: the CSRF token, an idempotency key, a signed
form time. Those are page-cache holes (`pagecache.hole`), so the first render
records where they fall; the copy is kept split there, and each later request gets
the parts joined around fresh values of the same kinds, made through
`pagecache.hole` so the page cache knows them as holes too. Splitting at the
values the render made (never at a marker in the text) means no stored text can
open a hole (docs/decisions/0029-render-speed.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.template import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from tribune.core import pagecache

# Per process: a key names what the fragment shows, and a deploy restarts it.
TIMEOUT = 24 * 3600
_PREFIX = "skeleton:"


def _split(html: str, holes: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The text between the hole values that occur in `html`, and their kinds,
    as plain strings in tuples (kept unpickled by the local cache)."""
    shown = [value for value in holes if value and value in html]
    if not shown:
        return ("".join((html,)),), ()
    # Longest first, so that no value is cut at a shorter one it contains.
    pattern = re.compile(
        "|".join(re.escape(v) for v in sorted(shown, key=len, reverse=True))
    )
    parts: list[str] = []
    names: list[str] = []
    start = 0
    for found in pattern.finditer(html):
        parts.append(html[start : found.start()])
        names.append(holes[found.group()])
        start = found.end()
    parts.append(html[start:])
    return tuple(parts), tuple(names)


def render_once(
    request: HttpRequest | None, key: str, render: Callable[[], str]
) -> SafeString:
    """What `render()` returns, from this process's copy for `key` where there is one.

    Precondition: everything the fragment shows is determined by `key` and the
    active language, except values made through `pagecache.hole`. Side effect:
    stores the split copy on the first render; registers fresh holes on the
    request for later ones.
    """
    # While developing, templates change under a running process.
    if request is None or settings.DEBUG:
        return mark_safe(render())  # noqa: S308  # the caller's template escaped it
    full_key = f"{_PREFIX}{get_language()}:{key}"
    cache = caches["local"]
    stored: tuple[tuple[str, ...], tuple[str, ...]] | None = cache.get(full_key)
    if stored is not None:
        parts, names = stored
        filled = [parts[0]]
        for name, part in zip(names, parts[1:], strict=True):
            filled.append(pagecache.hole(request, name))
            filled.append(part)
        return mark_safe("".join(filled))  # noqa: S308  # parts of an escaped render
    html = render()
    # Every hole of the request, not only those this render made: a CSRF token
    # made earlier on the page is reused by the context's lazy `csrf_token`.
    holes: dict[str, str] = request.__dict__.get("_pagecache_holes", {})
    cache.set(full_key, _split(html, holes), TIMEOUT)
    return mark_safe(html)  # noqa: S308  # the caller's template escaped it


def render_included(
    context: Context, template_name: str, values: dict[str, Any]
) -> str:
    """`template_name` rendered with `values` as an inclusion tag renders it: a new
    context on the page's engine, the CSRF token carried over."""
    assert context.template is not None  # noqa: S101  # only called while rendering
    included = context.template.engine.get_template(template_name)
    new_context = context.new(values)
    token = context.get("csrf_token")
    if token is not None:
        new_context["csrf_token"] = token
    return included.render(new_context)
