"""The donate walk in a real browser, on a desktop screen and at 390 px wide."""

from decimal import Decimal
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from tribune.funding import fees
from tribune.funding.models import FundingSettings
from tribune.funding.tests import factories
from tribune.funding.tests.fake_servers import serve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def every_way(home, stripe_keys):
    settings_ = FundingSettings.for_site(Site.objects.get(is_default_site=True))
    settings_.paypal_url = "https://paypal.me/valleyledger"
    settings_.patreon_url = "https://patreon.example/valleyledger"
    settings_.bank_instructions = "<p>IBAN XX00 0000 (tests)</p>"
    settings_.save()
    factories.campaign()
    return stripe_keys


def csp_errors(console: list[str]) -> list[str]:
    return [c for c in console if "Content Security Policy" in c]


def test_desktop_walk_covers_the_fees_and_goes_to_checkout(
    live_server, page, every_way
):
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    thanks = live_server.url + "/support/thanks/"
    with serve(
        {
            "POST /v1/checkout/sessions": lambda r: (
                200,
                {"id": "cs_1", "object": "checkout.session", "url": thanks},
            )
        }
    ) as fake:
        every_way.FUNDING_STRIPE_API_BASE = fake.base_url
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + "/support/")
        page.get_by_label("Other", exact=True).check()
        page.get_by_label("Other amount").fill("30")
        cover = fees.cover_for(
            Decimal("30"), fees.FeeRule(Decimal("2.9"), Decimal("0.30"))
        )
        card_quote = page.locator('[data-fee-quote="stripe"] [data-fee-cover]')
        expect(card_quote).to_have_text(f"${cover}")  # updated as the reader types
        page.get_by_label("Every month").check()
        page.get_by_label("Card (Stripe)").check()
        page.get_by_label("Add the payment fees", exact=False).check()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(thanks + "**")
        sent = parse_qs(fake.requests[0].body.decode())
    assert sent["mode"] == ["subscription"]
    assert sent["line_items[0][price_data][unit_amount]"] == ["3000"]
    assert sent["line_items[1][price_data][unit_amount]"] == [str(int(cover * 100))]
    assert page.errors == [] and csp_errors(console) == []


def test_phone_walk_keeps_the_choice_for_a_bank_transfer(
    live_server, page, every_way, settings
):
    settings.STRIPE_SECRET_KEY = ""  # card payments not set up
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/support/")
    expect(page.locator("[data-card-missing]")).to_contain_text("not set up")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("Other", exact=True).check()
    page.get_by_label("Other amount").fill("40")
    page.get_by_label("Every month").check()
    page.get_by_label("Bank transfer").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("[data-chosen]")).to_contain_text("$40.00 every month")
    expect(page.get_by_label("Other amount")).to_have_value("40")
    expect(page.get_by_label("Every month")).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("PayPal").check()
    with page.expect_request(lambda r: "paypal.me" in r.url) as request:
        page.route("https://paypal.me/**", lambda route: route.fulfill(body="PayPal"))
        page.get_by_role("button", name="Continue").click()
    assert request.value.url == "https://paypal.me/valleyledger/40.00USD"
    assert page.errors == [] and csp_errors(console) == []
