"""Funding's public pages with a running campaign: valid HTML5 and no serious a11y issues."""

from __future__ import annotations

import pytest
from django.test import Client

from tribune.core.testing import axe_violations, html5_errors
from tribune.funding.tests import factories

PAGES = [
    "/",
    "/support/",
    "/support/thanks/",
    "/support/supporters/",
    "/support/embed/",
]


def _ledger() -> None:
    factories.campaign()
    factories.donation("1800", public_name="Ana", message="Thanks", show_on_wall=True)


@pytest.mark.django_db
def test_funding_pages_are_valid_html5(client: Client, home) -> None:
    _ledger()
    responses = [(url, client.get(url)) for url in PAGES]
    responses.append(
        ("/support/ (errors)", client.post("/support/", {"amount": "custom"}))
    )
    for url, response in responses:
        assert response.status_code == 200, url
    assert html5_errors((url, r.content) for url, r in responses) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_funding_pages_have_no_serious_accessibility_violations(
    live_server, browser, home
) -> None:
    _ledger()
    context = browser.new_context(bypass_csp=True)
    tab = context.new_page()
    failures = []
    for url in PAGES:
        tab.goto(live_server.url + url)
        failures += axe_violations(tab)
    context.close()
    assert failures == []


@pytest.mark.django_db
def test_funding_admin_pages_are_valid_html5(client: Client, admin_user) -> None:
    _ledger()
    client.force_login(admin_user)
    urls = ["/admin/funding/", "/admin/funding/ledger/", "/admin/funding/wall/"]
    responses = [(url, client.get(url)) for url in urls]
    for url, response in responses:
        assert response.status_code == 200, url
    assert html5_errors((url, r.content) for url, r in responses) == []
