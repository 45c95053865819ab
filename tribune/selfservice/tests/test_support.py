"""The Support section of Your page: a receipt per gift, how to change or stop a
monthly gift at each provider, and a yearly statement (page and PDF) per year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tribune.funding import donor_services
from tribune.funding.tests import factories as f
from tribune.selfservice.tests.conftest import proved_client

pytestmark = pytest.mark.django_db
ADA = "ada@example.org"
START = "/me/"


def support_section(client: Client) -> str:
    page = client.get(START).content.decode()
    return page.split('id="me-support"', 1)[1].split('id="me-data"', 1)[0]


def test_each_gift_links_its_receipt_and_says_how_to_stop_a_monthly_gift(
    home,
) -> None:
    f.donation("12", email=ADA, provider="stripe", recurring=True, customer_ref="cus_A")
    f.donation("7", email=ADA, provider="paypal", method="paypal", recurring=True)
    f.donation("5", email=ADA, provider="patreon", method="patreon", recurring=True)
    f.donation("30", email=ADA)
    client = proved_client(ADA)
    section = support_section(client)
    assert section.count('href="/support/gift/') == 4
    assert "Receipt, and change or stop the monthly gift" in section
    assert "cancel it in your PayPal account" in section
    assert "end the membership on Patreon" in section
    receipt = section.split('href="', 1)[1].split('"', 1)[0]
    assert client.get(receipt).status_code == 200


def test_a_statement_for_each_year_with_gifts_as_a_page_and_a_pdf(home) -> None:
    tz = dt.UTC
    f.donation("40", email=ADA, received_at=dt.datetime(2024, 6, 1, 12, tzinfo=tz))
    f.donation("25", email=ADA, received_at=dt.datetime(2025, 3, 1, 12, tzinfo=tz))
    f.donation("99", email="bert@example.org")
    client = proved_client(ADA)
    section = support_section(client)
    assert "Statement for 2025" in section and "Statement for 2024" in section
    assert section.index("Statement for 2025") < section.index("Statement for 2024")
    links = [
        part.split('"', 1)[0]
        for part in section.split('href="')[1:]
        if part.startswith("/support/statement/")
    ]
    assert len(links) == 4
    page = client.get(links[0])
    assert page.status_code == 200 and b"25.00" in page.content
    assert b"99.00" not in page.content
    pdf = client.get(links[1])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_no_statements_without_gifts(home) -> None:
    assert "Statement for" not in support_section(proved_client(ADA))


def test_a_monthly_gift_the_provider_ended_shows_as_ended_without_a_way_to_stop(
    home,
) -> None:
    f.donation("12", email=ADA, provider="stripe", recurring=True, customer_ref="cus_A")
    client = proved_client(ADA)
    assert "change or stop the monthly gift" in support_section(client)
    ended = dt.datetime(2026, 11, 19, 15, tzinfo=dt.UTC)
    donor_services.end_monthly_gift(
        provider="stripe", customer_ref="cus_A", ended_at=ended
    )
    section = support_section(client)
    assert "This monthly gift ended on 19 Nov 2026." in section
    assert "change or stop the monthly gift" not in section
    assert 'href="/support/gift/' in section  # the receipt stays
