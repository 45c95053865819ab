"""The donate page offers every configured way and never drops the reader's choice."""

import datetime as dt
import re
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
import time_machine
from wagtail.models import Site

from tribune.funding import services
from tribune.funding.models import FundingSettings, SupporterMessage
from tribune.funding.tests import factories
from tribune.funding.tests.fake_servers import serve

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 17, 12, tzinfo=BERLIN), tick=False):
        yield


@pytest.fixture
def every_way(home):
    settings_ = FundingSettings.for_site(Site.objects.get(is_default_site=True))
    settings_.paypal_url = "https://paypal.me/valleyledger"
    settings_.patreon_url = "https://patreon.example/valleyledger"
    settings_.bank_instructions = "<p>IBAN XX00 0000 (tests)</p>"
    settings_.save()
    return settings_


def session_created(request):
    return 200, {
        "id": "cs_1",
        "object": "checkout.session",
        "url": "https://checkout.stripe.com/c/pay/cs_1",
    }


def test_every_configured_way_is_on_the_page(client, every_way, stripe_keys):
    html = client.get("/support/").content.decode()
    for way in ("Card (Stripe)", "PayPal", "Patreon (monthly)", "Bank transfer"):
        assert way in html
    assert "IBAN XX00 0000 (tests)" in html
    assert "not set up" not in html


def test_without_stripe_keys_the_page_says_so_and_the_choice_goes_to_paypal(
    client, every_way
):
    html = client.get("/support/").content.decode()
    assert (
        "Card payments are not available on this site yet: they are not set up." in html
    )
    assert "Card (Stripe)" not in html
    response = client.post(
        "/support/",
        {
            "amount": "custom",
            "custom_amount": "25",
            "frequency": "once",
            "provider": "paypal",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "https://paypal.me/valleyledger/25.00USD"


def test_a_bank_transfer_keeps_the_amount_and_frequency_beside_the_details(
    client, every_way
):
    response = client.post(
        "/support/",
        {
            "amount": "custom",
            "custom_amount": "40",
            "frequency": "monthly",
            "provider": "bank",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your gift: $40.00 every month" in html
    assert 'value="40"' in html  # the form keeps the reader's choice
    checked = re.search(r'<input[^>]*name="frequency"[^>]*checked[^>]*>', html)
    assert checked and 'value="monthly"' in checked[0]


def test_patreon_leads_to_the_editors_page(client, every_way):
    response = client.post(
        "/support/", {"amount": "10.00", "frequency": "monthly", "provider": "patreon"}
    )
    assert response["Location"] == "https://patreon.example/valleyledger"


def test_the_demo_explains_stripe_test_keys_to_staff_and_demo_readers(
    client, every_way, admin_user, settings
):
    assert "4242 4242 4242 4242" not in client.get("/support/").content.decode()
    settings.FUNDING_SETUP_HELP = True  # as the demo's settings (dev.py) set it
    assert "4242 4242 4242 4242" in client.get("/support/").content.decode()
    settings.FUNDING_SETUP_HELP = False
    client.force_login(admin_user)
    html = client.get("/support/").content.decode()
    assert "4242 4242 4242 4242" in html and "sk_test_" in html


def test_covering_the_fees_is_shown_before_paying_and_goes_to_checkout(
    client, every_way, stripe_keys
):
    html = client.get("/support/").content.decode()
    # The middle preset ($25) is chosen first: Stripe 2.9% + 0.30, PayPal 3.49% + 0.49.
    assert "Card (Stripe): adds <span data-fee-cover>$1.06</span>" in html
    assert "PayPal: adds <span data-fee-cover>$1.41</span>" in html
    with serve({"POST /v1/checkout/sessions": session_created}) as fake:
        stripe_keys.FUNDING_STRIPE_API_BASE = fake.base_url
        response = client.post(
            "/support/",
            {
                "amount": "custom",
                "custom_amount": "10",
                "frequency": "once",
                "provider": "stripe",
                "cover_fees": "on",
            },
        )
    assert response.status_code == 303
    sent = parse_qs(fake.requests[0].body.decode())
    assert sent["line_items[0][price_data][unit_amount]"] == ["1000"]
    assert sent["line_items[1][price_data][unit_amount]"] == ["61"]
    assert sent["line_items[1][price_data][product_data][name]"] == [
        "Covering the fees"
    ]
    assert sent["payment_intent_data[metadata][cover_fee]"] == ["0.61"]


def test_covering_the_fees_adds_them_to_the_paypal_amount(client, every_way):
    response = client.post(
        "/support/",
        {
            "amount": "custom",
            "custom_amount": "10",
            "frequency": "once",
            "provider": "paypal",
            "cover_fees": "on",
        },
    )
    assert response["Location"] == "https://paypal.me/valleyledger/10.87USD"


def test_no_fee_rules_no_fee_cover(client, every_way, settings):
    settings.FUNDING_FEES = {}
    assert "cover_fees" not in client.get("/support/").content.decode()


def test_the_donate_page_pins_its_queries(client, every_way, django_assert_num_queries):
    factories.campaign()
    client.get("/support/")
    with django_assert_num_queries(1):
        assert client.get("/support/").status_code == 200


def test_the_wall_names_only_donors_who_chose_to_be_named(client, home):
    factories.donation(
        public_name="Mira", message="For the river pages", show_on_wall=True
    )
    factories.donation(
        public_name="", message="A message without a name", show_on_wall=True
    )
    for message in SupporterMessage.objects.all():
        services.moderate_message(message=message, approve=True)
    html = client.get("/support/supporters/").content.decode()
    assert "Readers who chose to be named" in html
    assert "Mira" in html
    assert "Anonymous" not in html
    assert "A message without a name" not in html


def test_the_page_lets_the_form_lead_to_the_editors_links(client, every_way):
    policy = client.get("/support/")["Content-Security-Policy"]
    form_action = next(p for p in policy.split(";") if "form-action" in p)
    assert "https://paypal.me" in form_action
    assert "https://patreon.example" in form_action
