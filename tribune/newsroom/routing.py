"""Which page an address leads to, remembered per process and checked on every use.

Wagtail's `Page.route` walks the tree from the site's root: for each part of the
address a query for the child with that slug and another for its specific page,
four queries and some 9,000 Python calls for a report. Here each address that led
to a page is remembered as that page's id and type, and a later request loads the
page by id in one query. Nothing needs invalidating: the page loaded is used only
if it is live and its `url_path` is still the address asked for (a page's url_path
is the path of slugs from the tree's root, one page per path), which is exactly
what Wagtail's walk would have found; otherwise Wagtail walks the tree as before
(docs/decisions/0036-report-kept.md).
"""

from __future__ import annotations

from hashlib import blake2b

from django.apps import apps
from django.core.cache import caches
from wagtail.models import Page, get_page_models

# An entry is checked on every use; the timeout only bounds the memory.
SECONDS = 24 * 3600
_PREFIX = "route:"


def _key(root: Page, components: list[str]) -> str:
    path = "/".join(components)
    return f"{_PREFIX}{root.pk}:{blake2b(path.encode(), digest_size=16).hexdigest()}"


def _walks_like_wagtail(root: Page) -> bool:
    """Whether every page type below the root routes as Wagtail's `Page.route`
    does: a type that serves addresses below itself (a routable page) could claim
    one that also names a page, so nothing is remembered then."""
    return all(
        model.route is Page.route
        for model in get_page_models()
        if model is not type(root)
    )


def find(root: Page, components: list[str]) -> Page | None:
    """The live page at `components` below `root`, if this process has seen the
    address lead to it and it is still there; None otherwise (walk the tree)."""
    if not components:
        return None
    known: tuple[str, int] | None = caches["local"].get(_key(root, components))
    if known is None:
        return None
    label, pk = known
    page: Page | None = apps.get_model(label).objects.filter(pk=pk).first()
    url_path = root.url_path + "/".join(components) + "/"
    if page is None or not page.live or page.url_path != url_path:
        return None
    return page


def remember(root: Page, components: list[str], page: Page) -> None:
    """Note that `components` below `root` led to `page` (a specific page with
    nothing left of the address)."""
    if components and _walks_like_wagtail(root):
        value = (page._meta.label, page.pk)
        caches["local"].set(_key(root, components), value, SECONDS)
