"""The donate page's supporter badge choice: offered checked, sent to Stripe with
the time it was made, and recorded from the webhook without undoing a later one."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pytest
import time_machine
from wagtail.models import Site

from tribune.funding import donor_selectors, donor_services
from tribune.funding.models import BadgeChoice, FundingSettings
from tribune.funding.tests import stripe_events as se
from tribune.funding.tests.fake_servers import serve

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 17, 12, tzinfo=dt.UTC)
DONOR = "reader@example.org"  # the address stripe_events' checkout carries


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def fake_stripe(stripe_keys, home):
    FundingSettings.for_site(Site.objects.get(is_default_site=True)).save()
    with serve(
        {
            "POST /v1/checkout/sessions": lambda r: (
                200,
                {"id": "cs_1", "object": "checkout.session", "url": "https://x.test/"},
            )
        }
    ) as fake:
        stripe_keys.FUNDING_STRIPE_API_BASE = fake.base_url
        yield fake


def test_the_choice_is_offered_checked(client, fake_stripe) -> None:
    html = client.get("/support/").content.decode()
    field = html.split('name="show_badge"', 1)[1].split(">", 1)[0]
    assert "checked" in field
    assert "Show a supporter badge next to my comments" in html


@pytest.mark.parametrize(("posted", "sent"), [({"show_badge": "on"}, "1"), ({}, "0")])
def test_the_choice_travels_to_stripe_with_its_time(
    client, fake_stripe, posted, sent
) -> None:
    form = {"amount": "25.00", "frequency": "once", "provider": "stripe", **posted}
    assert client.post("/support/", form).status_code == 303
    body = parse_qs(fake_stripe.requests[0].body.decode(), keep_blank_values=True)
    assert body["metadata[show_badge]"] == [sent]
    assert body["metadata[badge_chosen_at]"] == [str(int(NOW.timestamp()))]
    assert body["payment_intent_data[metadata][show_badge]"] == [sent]


def test_the_webhook_records_the_choice_for_the_donors_address(
    client, stripe_keys
) -> None:
    chosen = str(int(NOW.timestamp()))
    event = se.checkout_completed(
        "pi_1", 1000, metadata={"show_badge": "0", "badge_chosen_at": chosen}
    )
    assert se.deliver(client, event).status_code == 200
    choice = BadgeChoice.objects.get()
    assert (choice.email, choice.shown, choice.chosen_at) == (DONOR, False, NOW)
    assert donor_selectors.badge_shown("Reader@Example.org") is False


def test_a_later_monthly_payment_does_not_undo_a_choice_made_since(
    client, stripe_keys
) -> None:
    chosen = str(int((NOW - dt.timedelta(days=40)).timestamp()))
    donor_services.choose_badge(email="monthly@example.org", shown=False)
    event = se.invoice_paid(
        "in_1", "pi_1", 500, metadata={"show_badge": "1", "badge_chosen_at": chosen}
    )
    assert se.deliver(client, event).status_code == 200
    assert donor_selectors.badge_shown("monthly@example.org") is False


@pytest.mark.parametrize(
    "metadata",
    [
        {},
        {"show_badge": "0"},
        {"show_badge": "yes", "badge_chosen_at": "1795000000"},
        {"show_badge": "0", "badge_chosen_at": "99999999999999999999999"},
        {"show_badge": "0", "badge_chosen_at": "\u202e1795000000"},
    ],
)
def test_missing_or_bad_metadata_records_no_choice_and_still_the_gift(
    client, stripe_keys, metadata
) -> None:
    event = se.checkout_completed("pi_1", 1000, metadata=metadata)
    assert se.deliver(client, event).status_code == 200
    assert not BadgeChoice.objects.exists()
    assert donor_selectors.badge_shown(DONOR) is True
