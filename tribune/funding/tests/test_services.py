import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DataError, IntegrityError, transaction

from tribune.funding import selectors, services
from tribune.funding.models import (
    Adjustment,
    CampaignMonth,
    Donation,
    ProcessedEvent,
    SupporterMessage,
)
from tribune.funding.tests import factories

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 17, 12, tzinfo=BERLIN)


def fresh_bar() -> selectors.GoalProgress:
    """The bar as the next page would see it once the write's transaction commits."""
    selectors.forget_bar_progress()
    bar = selectors.get_bar_progress()
    assert bar is not None
    return bar


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_replayed_donation_returns_the_same_row_and_counts_once():
    factories.campaign()
    first = factories.donation("25", transaction_id="t1")
    again = factories.donation("25", transaction_id="t1")
    assert first.pk == again.pk
    assert Donation.objects.count() == 1
    assert fresh_bar().raised == Decimal("25.00")


def test_a_replay_with_another_amount_never_edits_the_money():
    factories.campaign()
    factories.donation("25", transaction_id="t1")
    row = factories.donation("999", transaction_id="t1")
    assert row.amount == Decimal("25.00")


def test_status_only_moves_forward():
    factories.campaign()
    pending = factories.donation("10", transaction_id="p", status="pending")
    assert pending.payment_status == "pending"
    assert factories.donation("10", transaction_id="p").payment_status == "succeeded"
    again = factories.donation("10", transaction_id="p", status="pending")
    assert again.payment_status == "succeeded"
    failed = factories.donation("10", transaction_id="f", status="failed")
    assert (
        factories.donation("10", transaction_id="f").payment_status
        == failed.payment_status
    )


def test_foreign_currency_needs_a_rate_and_keeps_the_original():
    factories.campaign(currency="USD")
    with pytest.raises(services.LedgerError, match="exchange rate"):
        factories.donation("20", currency="EUR")
    row = factories.donation("20", currency="eur", exchange_rate=Decimal("1.0825"))
    assert (row.amount, row.currency) == (Decimal("21.65"), "USD")
    assert (row.original_amount, row.original_currency) == (Decimal("20"), "EUR")


def test_month_is_taken_in_the_site_time_zone():
    factories.campaign()
    late = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)
    assert factories.donation(received_at=late).month == dt.date(2026, 12, 1)


def test_fee_gives_net_amount():
    factories.campaign()
    row = factories.donation("25", fee=Decimal("1.03"))
    assert (row.fee, row.net) == (Decimal("1.03"), Decimal("23.97"))


def test_database_refuses_duplicates_and_non_positive_amounts():
    row = factories.donation("25", transaction_id="dup")
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.create(
            **{
                f.attname: getattr(row, f.attname)
                for f in Donation._meta.concrete_fields
                if f.name != "id"
            }
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.filter(pk=row.pk).update(amount=Decimal(0))


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_non_positive_amounts_are_refused_by_the_service(amount):
    with pytest.raises(services.LedgerError):
        factories.donation(amount)


def test_naive_times_are_refused():
    with pytest.raises(services.LedgerError, match="aware"):
        factories.donation(received_at=dt.datetime(2026, 11, 1))  # noqa: DTZ001


def test_refund_totals_add_only_the_missing_difference():
    factories.campaign()
    factories.donation("30", transaction_id="pi_1", provider="stripe")
    args: dict[str, Any] = {
        "provider": "stripe",
        "transaction_id": "pi_1",
        "currency": "USD",
        "occurred_at": NOW,
    }
    services.record_refund_total(refunded_total=Decimal("30"), **args)
    # A late partial-refund event (10 so far) arrives after the full one.
    assert services.record_refund_total(refunded_total=Decimal("10"), **args) is None
    services.record_refund_total(refunded_total=Decimal("30"), **args)
    assert Adjustment.objects.get().amount == Decimal("30")
    assert fresh_bar().raised == 0


def test_refund_of_an_unknown_payment_is_an_error():
    with pytest.raises(services.LedgerError):
        services.record_refund_total(
            provider="stripe",
            transaction_id="nope",
            refunded_total=Decimal(1),
            currency="USD",
            occurred_at=NOW,
        )


def test_an_adjustment_delivered_before_its_payment_counts_once_it_arrives():
    factories.campaign()
    services.record_adjustment(
        provider="stripe",
        reference="du_1:lost",
        transaction_id="pi_9",
        kind="dispute_lost",
        amount=Decimal("15"),
        currency="USD",
        occurred_at=NOW,
    )
    assert fresh_bar().raised == 0
    factories.donation("40", transaction_id="pi_9", provider="stripe")
    assert fresh_bar().raised == Decimal("25.00")


def test_claim_event_is_true_once():
    assert services.claim_event(provider="stripe", event_id="evt_1", event_type="x")
    assert not services.claim_event(provider="stripe", event_id="evt_1", event_type="x")
    assert ProcessedEvent.objects.count() == 1


def test_month_goals_are_kept_per_month_when_the_default_changes():
    campaign = factories.campaign(goal=Decimal("5000"), starts_on=dt.date(2026, 10, 1))
    with time_machine.travel(dt.datetime(2026, 10, 10, tzinfo=BERLIN), tick=False):
        factories.donation("5")
    campaign.goal = Decimal("8000")
    campaign.save()
    services.set_month_goal(
        campaign=campaign, month=dt.date(2026, 11, 1), goal=Decimal("6000")
    )
    goals = dict(CampaignMonth.objects.values_list("month", "goal"))
    assert goals == {
        dt.date(2026, 10, 1): Decimal("5000"),
        dt.date(2026, 11, 1): Decimal("6000"),
    }
    assert fresh_bar().goal == Decimal("6000")


def test_wall_message_is_created_only_when_opted_in_and_awaits_moderation():
    factories.donation(public_name="Ana", message="Keep going", show_on_wall=True)
    factories.donation(public_name="Ben", message="Private")
    message = SupporterMessage.objects.get()
    assert message.status == "pending"
    assert list(selectors.list_wall_messages()) == []
    services.moderate_message(message=message, approve=True)
    assert [m.public_name for m in selectors.list_wall_messages()] == ["Ana"]


def test_progress_counts_only_the_current_month_and_campaign_currency():
    factories.campaign()
    factories.donation("100")
    factories.donation(
        "7", received_at=dt.datetime(2026, 10, 31, 23, 59, 59, tzinfo=BERLIN)
    )
    factories.donation("8", received_at=dt.datetime(2026, 12, 1, tzinfo=BERLIN))
    factories.donation("9", status="pending")
    bar = fresh_bar()
    assert (bar.raised, bar.donors, bar.month) == (
        Decimal("100.00"),
        1,
        dt.date(2026, 11, 1),
    )


def test_fixed_window_counts_its_dates_only():
    factories.campaign(
        window="fixed", starts_on=dt.date(2026, 11, 10), ends_on=dt.date(2026, 11, 20)
    )
    factories.donation("5", received_at=dt.datetime(2026, 11, 9, 23, tzinfo=BERLIN))
    factories.donation("6", received_at=dt.datetime(2026, 11, 10, tzinfo=BERLIN))
    factories.donation(
        "7", received_at=dt.datetime(2026, 11, 20, 23, 59, tzinfo=BERLIN)
    )
    factories.donation("8", received_at=dt.datetime(2026, 11, 21, tzinfo=BERLIN))
    assert fresh_bar().raised == Decimal("13.00")


def test_each_donation_clears_the_cached_bar_on_commit(
    django_capture_on_commit_callbacks,
):
    factories.campaign()
    assert raised_from_cache() == 0
    factories.donation("11")
    assert raised_from_cache() == 0  # cached, nothing committed yet
    with django_capture_on_commit_callbacks(execute=True):
        factories.donation("12")
    assert raised_from_cache() == Decimal("23.00")


def raised_from_cache() -> Decimal:
    bar = selectors.get_bar_progress()
    assert bar is not None
    return bar.raised


@pytest.mark.parametrize(
    ("received", "month"),
    [
        (dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=BERLIN), dt.date(2026, 11, 1)),
        (dt.datetime(2026, 12, 1, 0, 0, 0, tzinfo=BERLIN), dt.date(2026, 12, 1)),
        # 00:30 on 1 November in Berlin is still October in UTC.
        (dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC), dt.date(2026, 11, 1)),
        # The repeated hour when clocks go back (25 October 2026, 02:00-03:00).
        (dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN), dt.date(2026, 10, 1)),
        (dt.datetime(2026, 3, 29, 1, 59, 59, tzinfo=BERLIN), dt.date(2026, 3, 1)),
    ],
)
def test_donations_count_for_the_month_they_were_received_in_site_time(received, month):
    factories.campaign()
    donation = factories.donation("10", received_at=received)
    assert donation.month == month
    with time_machine.travel(received, tick=False):
        assert fresh_bar().raised == Decimal("10.00")
        assert fresh_bar().month == month


def test_wall_text_is_stored_without_private_use_or_bidi_controls():
    factories.donation(
        public_name="Ana \u202eanA\u202c",
        message="Thanks\ue000csrf\ue001\u2067!",
        show_on_wall=True,
    )
    message = SupporterMessage.objects.get()
    assert (message.public_name, message.message) == ("Ana anA", "Thankscsrf!")
    donation = Donation.objects.get()
    assert (donation.public_name, donation.message) == ("Ana anA", "Thankscsrf!")


@pytest.mark.parametrize(
    "write",
    [
        lambda: factories.donation("1000000"),
        lambda: factories.donation("10", fee=Decimal("1e20")),
        lambda: factories.donation("10", currency="EUR", exchange_rate=Decimal("1e12")),
        lambda: services.record_adjustment(
            provider="manual",
            reference="r1",
            transaction_id="t1",
            kind=Adjustment.Kind.REFUND,
            amount=Decimal("1e18"),
            currency="USD",
            occurred_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        ),
        lambda: factories.campaign(goal=Decimal("1e15")),
    ],
    ids=["amount", "fee", "rate", "adjustment", "goal"],
)
def test_services_refuse_amounts_beyond_the_maximum(write):
    factories.campaign(title="Running")
    with pytest.raises(services.LedgerError):
        write()
    assert not Donation.objects.exists() and not Adjustment.objects.exists()


def test_the_database_refuses_amounts_its_columns_cannot_give_back():
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    # SQLite: the check constraint; PostgreSQL: the column's precision too.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Donation.objects.create(
            provider="manual",
            transaction_id="x",
            amount=Decimal("1e12"),
            currency="USD",
            original_amount=Decimal("10"),
            original_currency="USD",
            received_at=now,
            month=now.date(),
        )
