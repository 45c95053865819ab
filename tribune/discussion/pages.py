"""Reads of the pages a thread belongs to: reports and plain pages (decision 0031)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from wagtail.models import Page

from tribune.core import generations, sites
from tribune.discussion.errors import NotFoundError
from tribune.discussion.models import Thread
from tribune.newsroom.models import DISCUSSED_PAGE_TYPES, DiscussedPage

# Every process's copies of articles (selectors.thread_for_post, page
# addresses) are kept under this generation; any change of a page bumps it.
ARTICLES_GENERATION = "discussion:articles:generation"
_KEEP_SECONDS = 3600

# Thread.page is a plain wagtailcore Page; these joins bring the report or plain
# page behind it in the same query (see discussed()).
PAGE_KINDS = tuple(model._meta.model_name for model in DISCUSSED_PAGE_TYPES)
_BASE_FIELDS = {field.name for field in Page._meta.get_fields()}
THREAD_PAGE = ("thread__page", *(f"thread__page__{kind}" for kind in PAGE_KINDS))


def find_discussed(page_id: int, fields: Sequence[str]) -> DiscussedPage | None:
    """The live report or plain page `page_id`, or None; `fields` limits the
    columns loaded."""
    # Reports first: nearly every thread is under one, so they cost one query.
    for model in DISCUSSED_PAGE_TYPES:
        pages = model.objects.live()
        if fields:
            pages = pages.only(*fields)
        found: DiscussedPage | None = pages.filter(pk=page_id).first()
        if found is not None:
            return found
    return None


def discussed(page: Page) -> DiscussedPage:
    """The report or plain page a thread belongs to, from `thread.page`.

    No query when the page is one already, or when the thread was loaded with
    select_related(*THREAD_PAGE); one query otherwise.
    """
    if isinstance(page, DISCUSSED_PAGE_TYPES):
        return page
    for kind in PAGE_KINDS:
        try:
            found: DiscussedPage = getattr(page, kind)
        except ObjectDoesNotExist:
            continue
        return found
    raise NotFoundError(_("There is no such report."))


def thread_with_page(page_id: int, fields: Sequence[str]) -> Thread | None:
    """The thread of live page `page_id` with its report or plain page (only
    `fields` loaded) on `thread.page`, in one query; None when there is none."""
    kinds = [f"page__{kind}" for kind in PAGE_KINDS]
    found = (
        Thread.objects.select_related(*kinds)
        .only(
            "page_id",
            "comment_count",
            # The base page's own columns, the rest from the specific page's.
            *(f"page__{f}" for f in fields if f in _BASE_FIELDS),
            *(f"{kind}__{f}" for kind in kinds for f in fields),
        )
        .filter(page_id=page_id, page__live=True)
    )
    # [:1] rather than first(): one thread per page, and no ORDER BY to build.
    thread = next(iter(found[:1]), None)
    if thread is not None:
        try:
            thread.page = discussed(thread.page)
        except NotFoundError:  # a thread under a page of another kind
            return None
    return thread


def get_page_address(page: Page) -> tuple[int | None, str | None]:
    """The id of the site serving `page` and its address (`page.url`), for
    work without a request (after a commit, the live receivers).

    From this process's memory: Wagtail reads its site root paths from the
    shared cache on every call. Kept under the articles' generation (any page
    saved or moved) and the sites' (core/sites.py), so a new slug, parent or
    host never leaves an old address.
    """

    def load() -> tuple[int | None, str | None]:
        parts = page.get_url_parts()
        return (parts[0] if parts is not None else None, page.url)

    site_number = generations.current(sites.GENERATION)
    if site_number is None:
        return load()
    return generations.remember(
        ARTICLES_GENERATION,
        f"discussion:address:{page.pk}:{site_number}",
        load,
        _KEEP_SECONDS,
    )
