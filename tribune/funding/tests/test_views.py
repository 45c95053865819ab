import datetime as dt
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
def funding_settings(home):
    settings_ = FundingSettings.for_site(Site.objects.get(is_default_site=True))
    settings_.paypal_url = "https://paypal.example/donate/valley"
    settings_.bank_instructions = "<p>Account 0000 (tests)</p>"
    settings_.save()
    return settings_


def session_created(request):
    return 200, {
        "id": "cs_test_1",
        "object": "checkout.session",
        "url": "https://checkout.stripe.com/c/pay/cs_test_1",
    }


@pytest.fixture
def fake_stripe(stripe_keys):
    with serve({"POST /v1/checkout/sessions": session_created}) as fake:
        stripe_keys.FUNDING_STRIPE_API_BASE = fake.base_url
        yield fake


def test_donate_page_answers_at_support_with_presets_and_csrf(client, funding_settings):
    factories.campaign()
    response = client.get("/support/")
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("$5", "$10", "$25", "$50", "Other"):
        assert label in html
    assert "csrfmiddlewaretoken" in html
    assert "Account 0000 (tests)" in html


def test_without_stripe_keys_card_is_not_offered_and_staff_see_what_is_missing(
    client, funding_settings, admin_user
):
    html = client.get("/support/").content.decode()
    assert "Card (Stripe)" not in html
    assert "Card payments are not available" in html
    assert "STRIPE_SECRET_KEY" not in html
    client.force_login(admin_user)
    staff_html = client.get("/support/").content.decode()
    assert "STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET" in staff_html


def test_a_provider_without_its_link_or_secret_is_not_offered(client, home):
    html = client.get("/support/").content.decode()
    assert "PayPal" not in html and "Card (Stripe)" not in html
    assert "No way to give is set up yet." in html


def test_card_donation_creates_a_one_off_checkout_session(
    client, funding_settings, fake_stripe
):
    factories.campaign()
    response = client.post(
        "/support/",
        {
            "amount": "custom",
            "custom_amount": "12.50",
            "frequency": "once",
            "provider": "stripe",
            "public_name": "Ana",
            "message": "Onwards",
            "show_on_wall": "on",
        },
    )
    assert response.status_code == 303
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_1"
    sent = parse_qs(fake_stripe.requests[0].body.decode(), keep_blank_values=True)
    assert fake_stripe.requests[0].headers["authorization"] == "Bearer sk_test_only"
    assert sent["mode"] == ["payment"]
    assert sent["line_items[0][price_data][unit_amount]"] == ["1250"]
    assert sent["line_items[0][price_data][currency]"] == ["usd"]
    assert sent["payment_intent_data[metadata][public_name]"] == ["Ana"]
    assert sent["metadata[show_on_wall]"] == ["1"]
    assert sent["success_url"][0].startswith("http://testserver/support/thanks/")


def test_monthly_card_donation_creates_a_subscription_session(
    client, funding_settings, fake_stripe
):
    response = client.post(
        "/support/", {"amount": "25.00", "frequency": "monthly", "provider": "stripe"}
    )
    assert response.status_code == 303
    sent = parse_qs(fake_stripe.requests[0].body.decode(), keep_blank_values=True)
    assert sent["mode"] == ["subscription"]
    assert sent["line_items[0][price_data][recurring][interval]"] == ["month"]
    assert sent["line_items[0][price_data][unit_amount]"] == ["2500"]
    # Without the wall opt-in nothing public travels with the payment.
    assert sent["subscription_data[metadata][public_name]"] == [""]


def test_stripe_failure_is_explained_without_losing_the_form(
    client, funding_settings, stripe_keys
):
    with serve(
        {"POST /v1/checkout/sessions": lambda r: (500, {"error": {"message": "boom"}})}
    ) as fake:
        stripe_keys.FUNDING_STRIPE_API_BASE = fake.base_url
        response = client.post(
            "/support/",
            {
                "amount": "custom",
                "custom_amount": "40",
                "frequency": "once",
                "provider": "stripe",
            },
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Card payments are unavailable right now" in html
    assert 'value="40"' in html


@pytest.mark.parametrize(
    ("custom", "message"),
    [
        ("", "Enter an amount."),
        ("abc", "Enter an amount such as 12 or 12.50."),
        ("-3", "Enter an amount such as 12 or 12.50."),
        ("0.50", "The smallest gift is 1."),
        ("20000", "please use a bank transfer"),
    ],
)
def test_bad_custom_amounts_get_an_error_next_to_the_field(
    client, funding_settings, fake_stripe, custom, message
):
    response = client.post(
        "/support/",
        {
            "amount": "custom",
            "custom_amount": custom,
            "frequency": "once",
            "provider": "stripe",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'id="id_custom_amount-error"' in response.content.decode()
    assert fake_stripe.requests == []


def test_unknown_provider_or_preset_is_refused(client, funding_settings):
    response = client.post(
        "/support/", {"amount": "7", "frequency": "once", "provider": "stripe"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"amount", "provider"}


def test_paypal_choice_leads_to_the_editors_link(client, funding_settings):
    response = client.post(
        "/support/", {"amount": "10.00", "frequency": "once", "provider": "paypal"}
    )
    assert response.status_code == 302
    assert response["Location"] == "https://paypal.example/donate/valley"


def test_post_without_csrf_token_is_refused(funding_settings):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/support/", {"amount": "10.00"}).status_code == 403


def test_thanks_page(client, home):
    assert (
        "Thank you for supporting us" in client.get("/support/thanks/").content.decode()
    )


def test_wall_shows_only_approved_messages_escaped(client, home):
    factories.donation(
        public_name="<script>alert(1)</script>",
        message="Hi <b>there</b>",
        show_on_wall=True,
    )
    factories.donation(public_name="Hidden", message="Not yet", show_on_wall=True)
    approved = SupporterMessage.objects.get(public_name__startswith="<script>")
    services.moderate_message(message=approved, approve=True)
    html = client.get("/support/supporters/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Hidden" not in html
    assert "@example" not in html
