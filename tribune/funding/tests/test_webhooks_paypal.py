import datetime as dt
import itertools
import json
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tribune.funding import selectors
from tribune.funding.models import Donation, ProcessedEvent
from tribune.funding.tests import factories
from tribune.funding.tests.fake_servers import Request, serve

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
_ids = itertools.count(1)
HEADERS = {
    "HTTP_PAYPAL_AUTH_ALGO": "SHA256withRSA",
    "HTTP_PAYPAL_CERT_URL": "https://api.paypal.com/v1/notifications/certs/CERT-1",
    "HTTP_PAYPAL_TRANSMISSION_ID": "tx-1",
    "HTTP_PAYPAL_TRANSMISSION_SIG": "c2lnbmF0dXJl",
    "HTTP_PAYPAL_TRANSMISSION_TIME": "2026-11-18T10:00:00Z",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 20, tzinfo=BERLIN), tick=False):
        yield


class PlaysPayPal:
    """Loopback PayPal: issues a token and verifies signatures it is told are good."""

    def __init__(self) -> None:
        self.good_signatures = {"c2lnbmF0dXJl"}

    def token(self, request: Request) -> tuple[int, dict]:
        if (
            request.headers.get("authorization")
            != "Basic Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQ="
        ):
            return 401, {"error": "invalid_client"}
        return 200, {"access_token": "A21-test", "expires_in": 32400}

    def verify(self, request: Request) -> tuple[int, dict]:
        body = request.json()
        ok = (
            request.headers.get("authorization") == "Bearer A21-test"
            and body["webhook_id"] == "WH-LOCAL"
            and body["transmission_sig"] in self.good_signatures
            and isinstance(body["webhook_event"], dict)
        )
        return 200, {"verification_status": "SUCCESS" if ok else "FAILURE"}


@pytest.fixture
def paypal(settings):
    plays = PlaysPayPal()
    with serve(
        {
            "POST /v1/oauth2/token": plays.token,
            "POST /v1/notifications/verify-webhook-signature": plays.verify,
        }
    ) as fake:
        settings.PAYPAL_CLIENT_ID = "client-id"
        settings.PAYPAL_CLIENT_SECRET = "client-secret"
        settings.PAYPAL_WEBHOOK_ID = "WH-LOCAL"
        settings.PAYPAL_API_BASE = fake.base_url
        factories.campaign()
        yield fake


def capture(capture_id: str, value: str, currency: str = "USD", **breakdown) -> dict:
    return {
        "id": f"WH-{next(_ids)}",
        "event_type": "PAYMENT.CAPTURE.COMPLETED",
        "resource_type": "capture",
        "create_time": "2026-11-18T10:00:00Z",
        "resource": {
            "id": capture_id,
            "status": "COMPLETED",
            "amount": {"currency_code": currency, "value": value},
            "seller_receivable_breakdown": breakdown,
            "create_time": "2026-11-18T09:59:00Z",
        },
    }


def refund(refund_id: str, capture_id: str, value: str, kind: str = "REFUNDED") -> dict:
    return {
        "id": f"WH-{next(_ids)}",
        "event_type": f"PAYMENT.CAPTURE.{kind}",
        "resource": {
            "id": refund_id,
            "amount": {"currency_code": "USD", "value": value},
            "create_time": "2026-11-19T09:00:00Z",
            "links": [
                {
                    "rel": "self",
                    "href": f"https://api.paypal.com/v2/payments/refunds/{refund_id}",
                },
                {
                    "rel": "up",
                    "href": f"https://api.paypal.com/v2/payments/captures/{capture_id}",
                },
            ],
        },
    }


def post(client, event, **headers):
    return client.post(
        "/support/webhooks/paypal/",
        data=json.dumps(event),
        content_type="application/json",
        **{**HEADERS, **headers},
    )


def raised() -> Decimal:
    selectors.forget_bar_progress()
    bar = selectors.get_bar_progress()
    assert bar is not None
    return bar.raised


def test_completed_capture_is_verified_with_paypal_and_recorded(client, paypal):
    event = capture(
        "CAP-1",
        "30.00",
        paypal_fee={"currency_code": "USD", "value": "1.34"},
    )
    response = post(client, event)
    assert response.status_code == 200, response.content
    donation = Donation.objects.get()
    assert (donation.provider, donation.transaction_id, donation.amount) == (
        "paypal",
        "CAP-1",
        Decimal("30.00"),
    )
    assert (donation.fee, donation.net) == (Decimal("1.34"), Decimal("28.66"))
    paths = [r.path for r in paypal.requests]
    assert paths == ["/v1/oauth2/token", "/v1/notifications/verify-webhook-signature"]
    assert raised() == Decimal("30.00")
    # The OAuth token is reused until shortly before it expires.
    post(client, capture("CAP-2", "5.00"))
    assert [r.path for r in paypal.requests][2:] == [
        "/v1/notifications/verify-webhook-signature"
    ]


def test_foreign_currency_uses_the_rate_paypal_reports(client, paypal):
    event = capture(
        "CAP-EUR",
        "20.00",
        "EUR",
        exchange_rate={
            "source_currency": "EUR",
            "target_currency": "USD",
            "value": "1.0825",
        },
    )
    assert post(client, event).status_code == 200
    donation = Donation.objects.get()
    assert (donation.amount, donation.original_amount, donation.original_currency) == (
        Decimal("21.65"),
        Decimal("20.00"),
        "EUR",
    )


def test_refunds_and_reversals_in_any_order_replayed_give_exact_totals(client, paypal):
    events = [
        capture("CAP-1", "50.00"),
        capture("CAP-2", "20.00"),
        capture("CAP-3", "10.00"),
        refund("REF-1", "CAP-1", "15.00"),
        refund("REF-2", "CAP-1", "5.00"),
        refund("REV-1", "CAP-2", "20.00", kind="REVERSED"),
    ]
    deliveries = events * 3
    random.Random(3).shuffle(deliveries)
    for event in deliveries:
        assert post(client, event).status_code == 200
    assert raised() == Decimal("40.00")  # 50 - 20 + 0 + 10
    assert ProcessedEvent.objects.count() == len(events)


def test_signature_paypal_rejects_gets_400_and_records_nothing(client, paypal):
    response = post(
        client, capture("CAP-1", "30.00"), HTTP_PAYPAL_TRANSMISSION_SIG="forged"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_signature"
    assert not Donation.objects.exists() and not ProcessedEvent.objects.exists()


def test_missing_signature_headers_are_refused_without_asking_paypal(client, paypal):
    response = client.post(
        "/support/webhooks/paypal/",
        data=json.dumps(capture("CAP-1", "1.00")),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert paypal.requests == []


def test_paypal_unreachable_answers_503_so_it_retries(client, settings, paypal):
    settings.PAYPAL_API_BASE = "http://127.0.0.1:9"
    response = post(client, capture("CAP-1", "30.00"))
    assert response.status_code == 503
    assert not Donation.objects.exists()


def test_malformed_and_unknown_events(client, paypal, caplog):
    bad = capture("CAP-1", "not-money")
    assert post(client, bad).status_code == 400
    assert "amount" in caplog.text
    unknown = {"id": "WH-x", "event_type": "BILLING.PLAN.CREATED", "resource": {}}
    response = post(client, unknown)
    assert response.status_code == 200 and response.json()["outcome"] == "ignored"
    assert not ProcessedEvent.objects.exists()


@pytest.mark.parametrize("value", ["1000000000000000000", "1e30", "1000000.00"])
def test_captures_beyond_the_maximum_are_refused(client, paypal, value):
    response = post(client, capture("CAP-HUGE", value))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "amount_too_large"
    assert not Donation.objects.exists()
    assert client.get("/support/progress.json").status_code == 200
