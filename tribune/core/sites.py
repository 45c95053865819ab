"""The site serving a request, its settings and private sections, from memory.

Wagtail finds the site with a query on every request, each site setting with
another, and which sections are private with a third. They change rarely, so each
process keeps them in its "local" cache under a generation number kept in the
shared cache; changing a site, a setting or a view restriction (or moving a page)
bumps the generation, and every process reloads at its next request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail.contrib.settings.registry import registry
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

from tribune.core import generations

GENERATION = "sites:generation"
SITE_ATTR = "_wagtail_site"  # where Site.find_for_request keeps its answer
KEEP_SECONDS = 3600


def bump(sender: Any = None, **kwargs: Any) -> None:
    """Forget every process's copies of sites, settings and private sections.

    A setting's row made on first use holds the defaults that every process would
    make too, so its creation changes nothing a copy shows.
    """
    if kwargs.get("created") and sender in registry:
        return
    generations.bump(GENERATION)


def connect() -> None:
    """Bump on every change of a site, a site setting or a private section."""
    for model in [Site, PageViewRestriction, *registry]:
        post_save.connect(bump, sender=model, dispatch_uid=f"sites-{model._meta}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"sites-{model._meta}-d")
    post_page_move.connect(bump, dispatch_uid="sites-page-moved")


def is_private(page: Page) -> bool:
    """Whether a page is in a section behind a view restriction (Wagtail's
    `PageQuerySet.public()` without its query on every call)."""
    paths = generations.remember(
        GENERATION,
        "sites:restricted",
        lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True)),
        KEEP_SECONDS,
    )
    return any(page.path.startswith(path) for path in paths)


class SiteMiddleware:
    """Put the remembered site and settings on the request where Wagtail looks.

    Nothing is queried here: what the request's own code looked up (the site,
    each setting it read) is remembered after the response for the next request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        number = generations.current(GENERATION)
        if number is None:  # the shared cache is away: nothing kept is trusted
            return self.get_response(request)
        hostname = split_domain_port(request.get_host())[0]
        key = f"sites:{number}:{hostname}:{request.get_port()}"
        local = generations.local_cache()
        known: dict[str, Any] = local.get(key) or {}
        for attr, value in known.items():
            setattr(request, attr, value)
        response = self.get_response(request)
        attrs = [SITE_ATTR, *(model.get_cache_attr_name() for model in registry)]
        found = {a: request.__dict__[a] for a in attrs if a in request.__dict__}
        if found.keys() - known.keys():
            local.set(key, found, KEEP_SECONDS)
        return response
