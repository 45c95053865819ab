"""Old addresses that keep answering: Wagtail redirects (editable in the admin)
for every imported post, page, category and feed, written here."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

# Query keys with which WordPress finds content on any path ("/?p=12").
LEGACY_QUERY_KEYS = frozenset(
    {"p", "page_id", "attachment_id", "cat", "tag", "feed", "author", "m"}
)


def old_path(link: str, site_link: str = "") -> str | None:
    """The path (and query) of an address on the old site, normalised as Wagtail
    stores redirects; None for an address on another host."""
    parts = urlsplit(link.strip())
    site_host = urlsplit(site_link).hostname
    if parts.hostname and site_host and parts.hostname != site_host:
        return None
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Redirect.normalise_path(path)


@transaction.atomic
def point_to_page(paths: list[str], page: Page) -> int:
    """Permanent redirects from `paths` to `page` (kept when the page moves).
    A path that is the page's own address is left alone.  Returns how many
    redirects were made or changed."""
    own = Redirect.normalise_path(page.get_url() or "/") if page.live else None
    changed = 0
    for path in dict.fromkeys(Redirect.normalise_path(p) for p in paths if p):
        if path == own or path == "/":
            continue
        _redirect, created = Redirect.objects.update_or_create(
            site=None,
            old_path=path,
            defaults={"redirect_page": page, "redirect_link": "", "is_permanent": True},
        )
        changed += int(created)
    return changed


@transaction.atomic
def point_to_link(paths: list[str], link: str) -> int:
    """Permanent redirects from `paths` to an address of this site."""
    changed = 0
    target = Redirect.normalise_path(link)
    for path in dict.fromkeys(Redirect.normalise_path(p) for p in paths if p):
        if path == target or path == "/":
            continue
        _redirect, created = Redirect.objects.update_or_create(
            site=None,
            old_path=path,
            defaults={
                "redirect_page": None,
                "redirect_link": link,
                "is_permanent": True,
            },
        )
        changed += int(created)
    return changed
