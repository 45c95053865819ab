"""Dropping cached copies of a report's page when its thread changes."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from wagtail.models import Page

from tribune.core import pagecache


def invalidate_thread_pages(page_id: int) -> None:
    """After the current transaction commits, drop the cached article and list pages.

    Side effect: one page query on commit (for the page's URL).
    """

    def drop() -> None:
        page = Page.objects.filter(pk=page_id).first()
        if page is not None and page.url:
            pagecache.invalidate(page.url)
        pagecache.invalidate(reverse("discussion:fragment", args=[page_id]))

    transaction.on_commit(drop)
