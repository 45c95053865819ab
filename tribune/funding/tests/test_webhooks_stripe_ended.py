"""customer.subscription.deleted: a monthly card gift stopped in Stripe's
customer portal (or by Stripe) shows as ended on the ledger and the dashboard (the
donor's page: selfservice/tests/test_support.py); no money row is invented. Signed events posted to the real
webhook view, as Stripe sends them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import Sum
from django.urls import reverse

from tribune.funding.models import Adjustment, Donation
from tribune.funding.tests import stripe_events as se

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
ENDED = 1795100000  # 2026-11-19 14:53:20 UTC
DONOR = "monthly@example.org"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def paid(
    client, invoice: str, pi: str, customer: str = "cus_M", subscription: str = ""
) -> None:
    event = se.invoice_paid(invoice, pi, 1200)
    event["data"]["object"]["customer"] = customer
    if subscription:  # the API's current shape, under the invoice's parent
        event["data"]["object"]["parent"]["subscription_details"]["subscription"] = (
            subscription
        )
    assert se.deliver(client, event).status_code == 200


def deleted(customer: str = "cus_M", subscription: str = "sub_1", **fields) -> dict:
    return se.event(
        "customer.subscription.deleted",
        {
            "id": subscription,
            "object": "subscription",
            "customer": customer,
            "status": "canceled",
            "canceled_at": ENDED,
            "ended_at": ENDED,
            **fields,
        },
    )


@pytest.mark.django_db
def test_a_deleted_subscription_ends_the_monthly_gift_without_new_money(
    client, stripe_keys
) -> None:
    paid(client, "in_1", "pi_1")
    paid(client, "in_2", "pi_2")
    paid(client, "in_3", "pi_3", customer="cus_OTHER")
    rows, total = Donation.objects.count(), Donation.objects.aggregate(t=Sum("amount"))
    response = se.deliver(client, deleted())
    assert response.status_code == 200 and response.json()["outcome"] == "applied"
    assert Donation.objects.count() == rows and not Adjustment.objects.exists()
    assert Donation.objects.aggregate(t=Sum("amount")) == total
    ended = Donation.objects.filter(monthly_ended_at__isnull=False)
    assert set(ended.values_list("transaction_id", flat=True)) == {"pi_1", "pi_2"}
    assert ended.first().monthly_ended_at == dt.datetime.fromtimestamp(ENDED, dt.UTC)
    # The same event again changes nothing.
    event = deleted()
    assert se.deliver(client, event).json()["outcome"] == "applied"
    assert se.deliver(client, event).json()["outcome"] == "replay"


@pytest.mark.django_db
def test_an_event_without_a_customer_is_refused(client, stripe_keys) -> None:
    response = se.deliver(client, deleted(customer=None))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"


@pytest.mark.django_db
def test_the_ledger_and_dashboard_show_the_gift_as_ended(
    client, admin_client, stripe_keys
) -> None:
    paid(client, "in_1", "pi_1")
    se.deliver(client, deleted())
    ledger = admin_client.get(reverse("funding_admin:ledger")).content.decode()
    assert "ended 2026-11-19" in ledger
    dashboard = admin_client.get(reverse("funding_admin:dashboard")).content.decode()
    section = dashboard.split('id="ended-monthly"', 1)[1].split("</section>", 1)[0]
    assert DONOR in section and "12.00" in section


@pytest.mark.django_db
def test_ending_one_of_a_customers_two_monthly_gifts_ends_only_that_one(
    client, stripe_keys
) -> None:
    paid(client, "in_1", "pi_1", subscription="sub_A")
    paid(client, "in_2", "pi_2", subscription="sub_B")
    # The older API shape names the subscription on the invoice itself.
    event = se.invoice_paid("in_3", "pi_3", 1200)
    event["data"]["object"].update(customer="cus_M", subscription="sub_A")
    se.deliver(client, event)
    refs = dict(Donation.objects.values_list("transaction_id", "subscription_ref"))
    assert refs == {"pi_1": "sub_A", "pi_2": "sub_B", "pi_3": "sub_A"}
    assert se.deliver(client, deleted(subscription="sub_B")).status_code == 200
    ended = Donation.objects.filter(monthly_ended_at__isnull=False)
    assert list(ended.values_list("transaction_id", flat=True)) == ["pi_2"]
    se.deliver(client, deleted(subscription="sub_A"))
    assert Donation.objects.filter(monthly_ended_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_payments_recorded_before_the_subscription_was_kept_end_by_customer(
    client, stripe_keys
) -> None:
    paid(client, "in_1", "pi_1")  # no subscription on the row: an older payment
    paid(client, "in_2", "pi_2", subscription="sub_B")
    se.deliver(client, deleted(subscription="sub_OLD"))
    ended = Donation.objects.filter(monthly_ended_at__isnull=False)
    assert list(ended.values_list("transaction_id", flat=True)) == ["pi_1"]


@pytest.mark.django_db
def test_a_deleted_subscription_of_another_customer_ends_nothing(
    client, stripe_keys
) -> None:
    paid(client, "in_1", "pi_1", subscription="sub_A")
    se.deliver(client, deleted(customer="cus_OTHER", subscription="sub_A"))
    assert not Donation.objects.filter(monthly_ended_at__isnull=False).exists()
