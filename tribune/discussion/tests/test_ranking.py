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


def test_sort_keys_order_comments_as_named():
    rows = [(1, 0, 0), (2, 10, 1), (3, 1, 0)]  # (position, up, down)

    def ordered(order):
        return [
            p
            for p, _, _ in sorted(
                rows,
                key=lambda r: ranking.sort_key(
                    order, position=r[0], upvotes=r[1], downvotes=r[2]
                ),
            )
        ]

    assert ordered(Order.OLDEST) == [1, 2, 3]
    assert ordered(Order.NEWEST) == [3, 2, 1]
    assert ordered(Order.VOTED) == [2, 3, 1]
    assert ordered(Order.BEST) == [2, 3, 1]


def test_most_voted_puts_the_higher_score_first_and_best_the_higher_bound():
    # 3 up scores 3 with a Wilson bound of about 0.65; 6 up, 2 down scores 4 with
    # about 0.52: readers expect the 4 first under Most Voted.
    rows = [(1, 3, 0), (2, 6, 2), (3, 2, 0), (4, 5, 2)]

    def ordered(order):
        return [
            p
            for p, up, down in sorted(
                rows,
                key=lambda r: ranking.sort_key(
                    order, position=r[0], upvotes=r[1], downvotes=r[2]
                ),
            )
        ]

    assert ordered(Order.VOTED) == [2, 1, 4, 3]
    assert ordered(Order.BEST) == [1, 3, 2, 4]  # 2 up, 0 down bounds at 0.55
