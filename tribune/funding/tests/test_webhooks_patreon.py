import datetime as dt
import hashlib
import hmac
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tribune.funding import selectors
from tribune.funding.models import Donation, ProcessedEvent
from tribune.funding.tests import factories

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
SECRET = "patreon-test-secret"


@pytest.fixture(autouse=True)
def setup(settings):
    settings.PATREON_WEBHOOK_SECRET = SECRET
    with time_machine.travel(dt.datetime(2026, 11, 20, tzinfo=BERLIN), tick=False):
        factories.campaign()
        yield


def member(
    cents: int = 500,
    charged: str = "2026-11-01T08:00:00.000+00:00",
    status: str = "Paid",
    **extra,
) -> dict:
    return {
        "data": {
            "type": "member",
            "id": "mem-1",
            "attributes": {
                "currently_entitled_amount_cents": cents,
                "last_charge_date": charged,
                "last_charge_status": status,
                "patron_status": "active_patron",
                "email": "patron@example.org",
                **extra,
            },
        }
    }


def post(
    client,
    body: dict | str,
    event: str = "members:pledge:update",
    signature: str | None = None,
):
    raw = body if isinstance(body, str) else json.dumps(body)
    sig = (
        signature
        if signature is not None
        else hmac.new(SECRET.encode(), raw.encode(), hashlib.md5).hexdigest()
    )
    return client.post(
        "/support/webhooks/patreon/",
        data=raw,
        content_type="application/json",
        HTTP_X_PATREON_SIGNATURE=sig,
        HTTP_X_PATREON_EVENT=event,
    )


def raised() -> Decimal:
    selectors.forget_bar_progress()
    bar = selectors.get_bar_progress()
    assert bar is not None
    return bar.raised


def test_each_paid_monthly_charge_counts_once(client):
    assert post(client, member()).status_code == 200
    assert post(client, member()).json()["outcome"] == "replay"
    # The same charge reported again with another attribute changed.
    post(client, member(full_name="Pat"), event="members:update")
    donation = Donation.objects.get()
    assert (donation.transaction_id, donation.recurring, donation.method) == (
        "mem-1:2026-11-01",
        True,
        "patreon",
    )
    assert raised() == Decimal("5.00")


def test_a_new_month_charge_is_a_new_donation(client):
    post(client, member(charged="2026-10-01T08:00:00.000+00:00"))
    post(client, member(charged="2026-11-01T08:00:00.000+00:00"))
    assert Donation.objects.count() == 2
    assert raised() == Decimal("5.00")


def test_declined_or_deleted_pledges_record_nothing(client):
    assert post(client, member(status="Declined")).json()["outcome"] == "ignored"
    assert (
        post(client, member(), event="members:pledge:delete").json()["outcome"]
        == "ignored"
    )
    assert not Donation.objects.exists()


def test_refunded_charge_is_reversed(client):
    post(client, member())
    post(client, member(status="Refunded"))
    assert raised() == 0


@pytest.mark.parametrize("signature", ["", "0" * 32])
def test_bad_or_missing_signature_gets_400(client, signature):
    response = post(client, member(), signature=signature)
    assert response.status_code == 400
    assert not Donation.objects.exists() and not ProcessedEvent.objects.exists()


def test_malformed_body_gets_400(client):
    assert post(client, "[1, 2").status_code == 400
    assert post(client, member(cents=0)).status_code == 400
    assert not ProcessedEvent.objects.exists()


@pytest.mark.parametrize("cents", [10**20, 10**30])
def test_pledges_beyond_the_maximum_are_refused(client, cents):
    response = post(client, member(cents=cents))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "amount_too_large"
    assert not Donation.objects.exists() and not ProcessedEvent.objects.exists()
    assert client.get("/support/progress.json").status_code == 200
