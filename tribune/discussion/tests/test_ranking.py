import pytest

from tribune.discussion import ranking
from tribune.discussion.ranking import Order


def test_no_votes_ranks_zero():
    assert ranking.wilson_lower_bound(0, 0) == 0.0


def test_many_upvotes_beat_a_single_upvote():
    assert ranking.wilson_lower_bound(30, 2) > ranking.wilson_lower_bound(1, 0)


def test_bound_lies_below_the_observed_share_and_within_zero_and_one():
    for up, down in [(1, 0), (5, 5), (100, 1), (0, 7)]:
        bound = ranking.wilson_lower_bound(up, down)
        assert 0.0 <= bound <= up / (up + down)


def test_known_value_for_80_percent_confidence():
    # 8 of 10 positive, z = 1.2816: about 0.6016 (Evan Miller's formula)
    assert ranking.wilson_lower_bound(8, 2) == pytest.approx(0.6016, abs=1e-3)


def test_unknown_order_falls_back_to_oldest():
    assert ranking.parse_order("random") is Order.OLDEST
    assert ranking.parse_order(None) is Order.OLDEST
    assert ranking.parse_order("voted") is Order.VOTED
