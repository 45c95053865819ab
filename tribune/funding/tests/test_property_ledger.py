"""Property: any events, in any order, repeated: the bar equals the ledger."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tribune.funding import selectors
from tribune.funding.models import (
    Adjustment,
    Donation,
    ProcessedEvent,
    SupporterMessage,
)
from tribune.funding.tests import factories
from tribune.funding.tests import stripe_events as se

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 20, 12, tzinfo=BERLIN)


@st.composite
def histories(draw):
    """Events of up to five payments, some repeated, in a random order."""
    events = []
    expected = Decimal(0)
    for n in range(draw(st.integers(1, 5))):
        pi = f"pi_{n}"
        cents = draw(st.integers(100, 100_000))
        kind = draw(st.sampled_from(["paid", "async", "invoice"]))
        own = []
        counted = False
        if kind == "paid":
            own.append(se.checkout_completed(pi, cents))
            counted = True
        elif kind == "invoice":
            own.append(se.invoice_paid(f"in_{n}", pi, cents))
            counted = True
        else:
            own.append(se.checkout_completed(pi, cents, paid="unpaid"))
            if draw(st.booleans()):
                own.append(
                    se.checkout_completed(
                        pi, cents, kind="checkout.session.async_payment_succeeded"
                    )
                )
                counted = True
        taken = 0
        refunds = draw(st.lists(st.integers(1, cents), max_size=3))
        if counted and refunds:
            own += [se.charge_refunded(pi, cents, total) for total in refunds]
            taken = max(refunds)
        if counted and draw(st.booleans()):
            amount = draw(st.integers(1, cents))
            outcome = draw(st.sampled_from([None, "won", "lost"]))
            own.append(se.dispute(pi, amount))
            if outcome:
                own.append(se.dispute(pi, amount, closed=outcome))
            if outcome == "lost":
                taken += amount
        if counted:
            expected += Decimal(max(0, cents - taken)) / 100
        events += own
    repeats = draw(st.lists(st.sampled_from(events), max_size=len(events)))
    order = draw(st.permutations(events + repeats))
    return order, expected.quantize(Decimal("0.01"))


def ledger_sum_by_rule() -> Decimal:
    """The rule applied straight to the tables, independently of the selectors."""
    total = Decimal(0)
    for donation in Donation.objects.filter(
        payment_status="succeeded", month=dt.date(2026, 11, 1)
    ):
        back = sum(
            (
                a.amount
                for a in Adjustment.objects.filter(
                    provider=donation.provider,
                    transaction_id=donation.transaction_id,
                    kind__in=["refund", "dispute_lost"],
                )
            ),
            Decimal(0),
        )
        total += donation.amount - min(back, donation.amount)
    return total


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(history=histories())
def test_bar_figure_always_equals_the_ledger_sum_by_the_rule(
    client, stripe_keys, history
):
    events, expected = history
    for model in (SupporterMessage, Adjustment, Donation, ProcessedEvent):
        model.objects.all().delete()
    with time_machine.travel(NOW, tick=False):
        if not selectors.get_active_campaign():
            factories.campaign()
        for event in events:
            assert se.deliver(client, event).status_code == 200
        selectors.forget_bar_progress()
        bar = selectors.get_bar_progress()
    assert bar is not None
    assert bar.raised == ledger_sum_by_rule() == expected
