"""The site and its settings come from memory until one of them is saved."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path
from wagtail.models import Locale, Page, Site

from tribune.core import sites


def site_name(request: HttpRequest) -> HttpResponse:
    site = Site.find_for_request(request)
    return HttpResponse(site.site_name if site else "none")


urlpatterns = [path("site/", site_name)]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings) -> Site:
    settings.ROOT_URLCONF = __name__
    Site.objects.all().delete()
    # A transactional test before this one may have flushed Wagtail's tree.
    root = Page.get_first_root_node()
    if root is None:
        locale, _ = Locale.objects.get_or_create(language_code="en")
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return Site.objects.create(
        hostname="testserver",
        root_page=root,
        is_default_site=True,
        site_name="First",
    )


def _get(client: Client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/site/").content.decode()
    return body, len(queries)


def test_the_site_is_looked_up_once_then_remembered(client: Client) -> None:
    assert _get(client) == ("First", 1)
    assert _get(client) == ("First", 0)


def test_saving_the_site_is_seen_at_the_next_request(client: Client, site) -> None:
    _get(client)
    site.site_name = "Renamed"
    site.save()
    assert _get(client) == ("Renamed", 1)


def test_a_page_is_private_once_its_section_is_restricted(site) -> None:
    from wagtail.models import PageViewRestriction

    page = site.root_page.add_child(instance=Page(title="Section", slug="section"))
    assert not sites.is_private(page)
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert sites.is_private(page)
    assert not sites.is_private(site.root_page)
