"""Funding's public pages with a running campaign: valid HTML5 and no serious a11y issues."""

from __future__ import annotations

from decimal import Decimal

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


def _every_way_and_a_monthly_gift() -> list[str]:
    """Every way to pay configured; the pages of a monthly card gift's receipt."""
    from wagtail.models import Site

    from tribune.funding import receipts
    from tribune.funding.models import FundingSettings

    settings_ = FundingSettings.for_site(Site.objects.get(is_default_site=True))
    settings_.paypal_url = "https://paypal.me/valleyledger"
    settings_.patreon_url = "https://patreon.example/valleyledger"
    settings_.bank_instructions = "<p>IBAN XX00 0000 (tests)</p>"
    settings_.save()
    _ledger()
    gift = factories.donation(
        "15", provider="stripe", recurring=True, customer_ref="cus_1",
        email="ana@example.org", covered_fee=Decimal("0.75"),
    )  # fmt: skip
    return [
        "/support/",
        receipts.receipt_url(gift),
        receipts.statement_url("ana@example.org", gift.received_at.year),
    ]


@pytest.mark.django_db
def test_donate_receipt_and_statement_pages_are_valid_html5(
    client: Client, home, stripe_keys
) -> None:
    urls = _every_way_and_a_monthly_gift()
    responses = [(url, client.get(url)) for url in urls]
    responses.append(
        (
            "/support/ (bank)",
            client.post(
                "/support/",
                {"amount": "25", "frequency": "monthly", "provider": "bank"},
            ),
        )
    )
    for url, response in responses:
        assert response.status_code == 200, url
    assert html5_errors((url, r.content) for url, r in responses) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_donate_receipt_and_statement_pages_have_no_serious_a11y_violations(
    live_server, browser, home, stripe_keys
) -> None:
    urls = _every_way_and_a_monthly_gift()
    context = browser.new_context(bypass_csp=True)
    tab = context.new_page()
    failures = []
    for url in urls:
        tab.goto(live_server.url + url)
        failures += axe_violations(tab)
    context.close()
    assert failures == []
