"""Dropping cached copies of an article's page when its thread changes."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from wagtail.models import Page

from tribune.core import pagecache
from tribune.discussion import pages
from tribune.discussion.models import Thread


def invalidate_thread_pages(page_id: int, thread: Thread | None = None) -> None:
    """After the current transaction commits, drop the cached article and list pages.

    Side effect: one page query on commit (for the page's URL), none when `thread`
    comes with its page already loaded.
    """
    page = thread.page if thread is not None and Thread.page.is_cached(thread) else None

    def drop() -> None:
        found = page or Page.objects.filter(pk=page_id).first()
        url = pages.get_page_address(found)[1] if found is not None else None
        if url:
            pagecache.invalidate(url)
        pagecache.invalidate(reverse("discussion:fragment", args=[page_id]))

    # After the commit nothing may turn the stored change into an error.
    transaction.on_commit(drop, robust=True)
