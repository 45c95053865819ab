import contextlib
import datetime as dt
import json
import logging
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client

from tribune.funding import selectors
from tribune.funding.models import Adjustment, Donation, ProcessedEvent
from tribune.funding.tests import factories
from tribune.funding.tests import stripe_events as se
from tribune.funding.tests.fake_servers import serve

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 20, 12, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def raised() -> Decimal:
    selectors.forget_bar_progress()
    bar = selectors.get_bar_progress()
    assert bar is not None
    return bar.raised


@pytest.fixture
def campaign(db, stripe_keys):
    return factories.campaign()


def test_completed_checkout_is_recorded_with_donor_details(client, campaign):
    event = se.checkout_completed(
        "pi_1",
        2500,
        metadata={"public_name": "Ana", "message": "Thanks!", "show_on_wall": "1"},
    )
    response = se.deliver(client, event)
    assert response.status_code == 200
    assert response.json()["outcome"] == "applied"
    donation = Donation.objects.get()
    assert (donation.provider, donation.transaction_id) == ("stripe", "pi_1")
    assert (donation.amount, donation.payment_status) == (Decimal("25.00"), "succeeded")
    assert donation.email == "reader@example.org"
    assert donation.wall_message.public_name == "Ana"
    assert raised() == Decimal("25.00")


@pytest.mark.parametrize(
    "header",
    ["", "t=1,v1=deadbeef", "garbage"],
    ids=["missing", "wrong", "unparseable"],
)
def test_bad_or_missing_signature_gets_400_and_records_nothing(
    client, campaign, header
):
    body = json.dumps(se.checkout_completed("pi_1", 2500))
    response = client.post(
        "/support/webhooks/stripe/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_signature"
    assert not Donation.objects.exists() and not ProcessedEvent.objects.exists()


def test_signature_from_another_secret_or_a_tampered_body_is_refused(client, campaign):
    event = se.checkout_completed("pi_1", 2500)
    assert se.deliver(client, event, secret="whsec_other").status_code == 400
    body, header = se.signed(event)
    tampered = body.replace(b"2500", b"9900")
    response = client.post(
        "/support/webhooks/stripe/",
        data=tampered,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    assert response.status_code == 400
    assert not Donation.objects.exists()


def test_old_signatures_are_refused(client, campaign):
    old = int(NOW.timestamp()) - 3600
    response = se.deliver(client, se.checkout_completed("pi_1", 2500), timestamp=old)
    assert response.status_code == 400


def test_malformed_payload_gets_400_and_is_logged(client, campaign, caplog):
    caplog.set_level(logging.WARNING, logger="tribune.funding.webhooks")
    assert se.deliver(client, "{not json").status_code == 400
    event = se.checkout_completed("pi_1", 2500)
    del event["data"]["object"]["amount_total"]
    response = se.deliver(client, event)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
    assert "amount_total" in caplog.text
    # The event was not marked processed: a corrected delivery still applies.
    assert not ProcessedEvent.objects.exists() and not Donation.objects.exists()


def test_unknown_event_type_gets_200_and_is_ignored(client, campaign):
    response = se.deliver(client, se.event("customer.created", {"id": "cus_1"}))
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"
    assert not ProcessedEvent.objects.exists()


def test_replayed_event_changes_nothing(client, campaign):
    event = se.checkout_completed("pi_1", 2500)
    se.deliver(client, event)
    assert se.deliver(client, event).json()["outcome"] == "replay"
    assert Donation.objects.count() == 1 and ProcessedEvent.objects.count() == 1
    assert raised() == Decimal("25.00")


def test_webhook_without_configuration_is_not_offered(client, db):
    response = se.deliver(client, se.checkout_completed("pi_1", 2500))
    assert response.status_code == 404
    assert client.get("/support/webhooks/stripe/").status_code == 405


def test_async_payment_counts_only_once_it_succeeds(client, campaign):
    se.deliver(client, se.checkout_completed("pi_1", 4000, paid="unpaid"))
    assert raised() == 0
    se.deliver(
        client,
        se.checkout_completed(
            "pi_1", 4000, kind="checkout.session.async_payment_succeeded"
        ),
    )
    assert raised() == Decimal("40.00")


def test_subscription_checkout_is_counted_by_its_invoices(client, campaign):
    session = se.checkout_completed("pi_sub", 1000)
    session["data"]["object"]["mode"] = "subscription"
    se.deliver(client, session)
    assert not Donation.objects.exists()
    se.deliver(
        client,
        se.invoice_paid(
            "in_1", "pi_sub", 1000, {"public_name": "Cy", "show_on_wall": "1"}
        ),
    )
    se.deliver(client, se.invoice_paid("in_2", "pi_sub2", 1000))
    rows = Donation.objects.order_by("transaction_id")
    assert [(d.transaction_id, d.recurring) for d in rows] == [
        ("pi_sub", True),
        ("pi_sub2", True),
    ]
    assert raised() == Decimal("20.00")


def test_partial_then_full_refund_in_any_order_subtracts_once(client, campaign):
    se.deliver(client, se.checkout_completed("pi_1", 5000))
    full = se.charge_refunded("pi_1", 5000, 5000)
    partial = se.charge_refunded("pi_1", 5000, 2000)
    se.deliver(client, full)
    se.deliver(client, partial)
    assert raised() == 0
    assert Adjustment.objects.get().amount == Decimal("50.00")


def test_refund_before_its_payment_creates_the_payment_from_the_charge(
    client, campaign
):
    se.deliver(client, se.charge_refunded("pi_1", 5000, 2000))
    se.deliver(
        client, se.checkout_completed("pi_1", 5000, metadata={"public_name": "Di"})
    )
    donation = Donation.objects.get()
    assert donation.public_name == "Di"
    assert raised() == Decimal("30.00")


def test_disputes_count_only_when_lost(client, campaign):
    se.deliver(client, se.checkout_completed("pi_1", 3000))
    se.deliver(client, se.checkout_completed("pi_2", 2000))
    se.deliver(client, se.dispute("pi_1", 3000))
    se.deliver(client, se.dispute("pi_2", 2000))
    assert raised() == Decimal("50.00")
    se.deliver(client, se.dispute("pi_1", 3000, closed="won"))
    se.deliver(client, se.dispute("pi_2", 2000, closed="lost"))
    assert raised() == Decimal("30.00")


def scenario() -> tuple[list[dict], Decimal]:
    """Eight payments with refunds and disputes; the expected total by hand."""
    events = [
        se.checkout_completed("pi_a", 1000),
        se.checkout_completed("pi_b", 2500),
        se.checkout_completed("pi_c", 5000),
        se.charge_refunded("pi_c", 5000, 1500),
        se.charge_refunded("pi_c", 5000, 5000),
        se.checkout_completed("pi_d", 4000, paid="unpaid"),
        se.checkout_completed(
            "pi_d", 4000, kind="checkout.session.async_payment_succeeded"
        ),
        se.checkout_completed("pi_e", 700, paid="unpaid"),
        se.checkout_completed("pi_f", 1200),
        se.dispute("pi_f", 1200),
        se.dispute("pi_f", 1200, closed="lost"),
        se.checkout_completed("pi_g", 900),
        se.dispute("pi_g", 900),
        se.dispute("pi_g", 900, closed="won"),
        se.invoice_paid("in_h", "pi_h", 1500),
        se.charge_refunded("pi_h", 1500, 500),
    ]
    # a 10 + b 25 + c 0 + d 40 + e pending + f 0 + g 9 + h 15 - 5
    return events, Decimal("94.00")


def test_each_event_delivered_three_times_shuffled_gives_exact_totals(client, campaign):
    events, expected = scenario()
    deliveries = events * 3
    random.Random(20261120).shuffle(deliveries)
    for event in deliveries:
        assert se.deliver(client, event).status_code == 200
    assert raised() == expected
    assert ProcessedEvent.objects.count() == len(events)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: concurrent writers"
)
def test_twenty_concurrent_deliveries_on_postgresql_give_exact_totals(stripe_keys):
    factories.campaign()
    events, expected = scenario()
    deliveries = events * 3
    random.Random(7).shuffle(deliveries)
    start = threading.Barrier(20)

    def deliver(event: dict) -> int:
        with contextlib.suppress(threading.BrokenBarrierError):
            start.wait(timeout=5)
        try:
            return se.deliver(Client(), event).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(deliver, deliveries))
    assert codes == [200] * len(deliveries)
    assert raised() == expected
    assert Donation.objects.count() == 8
    assert ProcessedEvent.objects.count() == len(events)


BALANCE = {
    "id": "txn_1",
    "object": "balance_transaction",
    "amount": 2165,
    "currency": "usd",
    "exchange_rate": 1.0825,
}


@pytest.fixture
def stripe_api(stripe_keys):
    routes = {
        "GET /v1/payment_intents/pi_eur": lambda r: (
            200,
            {
                "id": "pi_eur",
                "object": "payment_intent",
                "latest_charge": {
                    "id": "ch_eur",
                    "object": "charge",
                    "balance_transaction": BALANCE,
                },
            },
        ),
        "GET /v1/balance_transactions/txn_1": lambda r: (200, BALANCE),
    }
    with serve(routes) as fake:
        stripe_keys.FUNDING_STRIPE_API_BASE = fake.base_url
        yield fake


def eur(event: dict) -> dict:
    event["data"]["object"]["currency"] = "eur"
    return event


def test_payment_in_another_currency_uses_the_rate_stripe_settled_at(
    client, campaign, stripe_api
):
    assert (
        se.deliver(client, eur(se.checkout_completed("pi_eur", 2000))).status_code
        == 200
    )
    donation = Donation.objects.get()
    assert (donation.amount, donation.currency) == (Decimal("21.65"), "USD")
    assert (donation.original_amount, donation.original_currency) == (
        Decimal("20.00"),
        "EUR",
    )
    assert (
        "expand[0]=latest_charge.balance_transaction" in stripe_api.requests[0].path_qs
    )
    # A refund of half, in euros, takes back half at the same rate.
    se.deliver(client, eur(se.charge_refunded("pi_eur", 2000, 1000)))
    assert raised() == Decimal("10.83")  # 21.65 - 10.82 (10.825 rounded half to even)


def test_refund_in_another_currency_before_its_payment_reads_the_charges_rate(
    client, campaign, stripe_api
):
    refund = eur(se.charge_refunded("pi_other", 2000, 500))
    refund["data"]["object"]["balance_transaction"] = "txn_1"
    assert se.deliver(client, refund).status_code == 200
    assert [r.path for r in stripe_api.requests] == ["/v1/balance_transactions/txn_1"]
    assert Donation.objects.get().amount == Decimal("21.65")


def test_stripe_unreachable_for_the_rate_answers_503_and_records_nothing(
    client, campaign, stripe_keys
):
    stripe_keys.FUNDING_STRIPE_API_BASE = "http://127.0.0.1:9"
    response = se.deliver(client, eur(se.checkout_completed("pi_eur", 2000)))
    assert response.status_code == 503
    assert not Donation.objects.exists() and not ProcessedEvent.objects.exists()


def test_signatures_dated_beyond_the_clock_skew_are_refused(client, campaign):
    ahead = int(NOW.timestamp()) + 3600
    response = se.deliver(client, se.checkout_completed("pi_1", 2500), timestamp=ahead)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_signature"
    assert not Donation.objects.exists()
    # A signing clock a little ahead is tolerated.
    slightly = int(NOW.timestamp()) + 60
    response = se.deliver(
        client, se.checkout_completed("pi_2", 2500), timestamp=slightly
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "make",
    [
        lambda cents: se.checkout_completed("pi_huge", cents),
        lambda cents: se.invoice_paid("in_huge", "pi_huge", cents),
        lambda cents: se.charge_refunded("pi_huge", cents, 0),
        lambda cents: se.dispute("pi_huge", cents),
    ],
    ids=["checkout", "invoice", "charge", "dispute"],
)
@pytest.mark.parametrize("cents", [10**20, 10**30, 100_000_000])
def test_amounts_beyond_the_maximum_are_refused_and_pages_still_answer(
    client, campaign, caplog, make, cents
):
    caplog.set_level(logging.ERROR, logger="tribune.funding.webhooks")
    response = se.deliver(client, make(cents))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "amount_too_large"
    assert "refused" in caplog.text
    assert not Donation.objects.exists() and not Adjustment.objects.exists()
    assert not ProcessedEvent.objects.exists()
    for url in ("/support/progress.json", "/support/"):
        assert client.get(url).status_code == 200


def test_the_largest_allowed_amount_is_recorded(client, campaign):
    response = se.deliver(client, se.checkout_completed("pi_max", 99_999_999))
    assert response.status_code == 200
    assert Donation.objects.get().amount == Decimal("999999.99")


def test_the_maximum_is_a_setting_per_currency(client, campaign, settings):
    settings.FUNDING_MAX_MINOR_UNITS = {"USD": 10_000_00}
    response = se.deliver(client, se.checkout_completed("pi_1", 10_000_01))
    assert response.json()["error"]["code"] == "amount_too_large"
    assert se.deliver(client, se.checkout_completed("pi_2", 10_000_00)).status_code == (
        200
    )


def test_non_utf8_body_gets_400(client, campaign):
    response = client.post(
        "/support/webhooks/stripe/",
        data=b"\xff\xfe{}",
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1,v1=deadbeef",
    )
    assert response.status_code == 400


def test_the_rate_is_fetched_by_a_task_never_inside_the_request(
    client, campaign, stripe_api, settings
):
    from django_tasks import default_task_backend

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    event = eur(se.checkout_completed("pi_eur", 2000))
    response = se.deliver(client, event)
    # Stripe delivers the event again later; nothing is recorded meanwhile.
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "rate_pending"
    assert stripe_api.requests == []
    assert not Donation.objects.exists() and not ProcessedEvent.objects.exists()
    (queued,) = default_task_backend.results
    assert queued.task.name == "fetch_stripe_rate"
    queued.task.call(*queued.args, **queued.kwargs)  # what the worker does
    assert len(stripe_api.requests) == 1
    assert se.deliver(client, event).status_code == 200
    assert len(stripe_api.requests) == 1
    assert Donation.objects.get().amount == Decimal("21.65")
