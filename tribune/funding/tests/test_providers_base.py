"""The providers share one shape (base.Provider) and one way to apply an event."""

import pytest

from tribune.funding.models import ProcessedEvent
from tribune.funding.providers import base, patreon, paypal, stripe

pytestmark = pytest.mark.django_db

# mypy checks that each module satisfies the protocol.
PROVIDERS: list[base.Provider] = [stripe, paypal, patreon]


def test_every_provider_names_itself_and_says_whether_it_is_configured():
    assert [p.PROVIDER for p in PROVIDERS] == ["stripe", "paypal", "patreon"]
    assert [p.is_configured() for p in PROVIDERS] == [False, False, False]


def test_apply_once_runs_a_handler_once_and_ignores_unknown_types():
    seen = []
    handlers = {"thing.happened": seen.append}

    def apply(event_type):
        return base.apply_once(
            provider="stripe",
            event_id="evt_1",
            event_type=event_type,
            handlers=handlers,
            event={"n": 1},
        )

    assert apply("other.type") == "ignored"
    assert apply("thing.happened") == "applied"
    assert apply("thing.happened") == "replay"
    assert seen == [{"n": 1}]
    assert ProcessedEvent.objects.filter(event_id="evt_1").count() == 1


def test_a_failing_handler_leaves_the_event_unclaimed():
    def broken(event):
        raise ValueError("cannot apply")

    with pytest.raises(ValueError, match="cannot apply"):
        base.apply_once(
            provider="paypal",
            event_id="WH-1",
            event_type="x",
            handlers={"x": broken},
            event={},
        )
    assert not ProcessedEvent.objects.exists()
