"""Ordering of top-level comments: Oldest, Newest, Most Voted, Best.

Most Voted puts the highest score (up minus down) first, as readers and wpDiscuz
expect; ties go to the Wilson lower bound, then to the older comment. Best orders
by the Wilson lower bound first, so 30 up / 2 down beats 40 up / 35 down.

"Inline Feedbacks" is a filter shown beside them: only comments on a passage,
oldest first.
"""

from __future__ import annotations

import math
from enum import StrEnum


class Order(StrEnum):
    OLDEST = "oldest"
    NEWEST = "newest"
    VOTED = "voted"
    BEST = "best"
    INLINE = "inline"


DEFAULT_ORDER = Order.OLDEST

# z for an 80% confidence interval, as Lobsters ranks comments (app/models/comment.rb,
# after Evan Miller, "How Not To Sort By Average Rating", 2009).
Z = 1.281551565545


def parse_order(raw: str | None) -> Order:
    """The order a reader asked for; anything unknown falls back to the default."""
    try:
        return Order(raw or "")
    except ValueError:
        return DEFAULT_ORDER


def wilson_lower_bound(upvotes: int, downvotes: int, z: float = Z) -> float:
    """Lower bound of the share of upvotes, so 30 up / 2 down beats 1 up / 0 down.

    Precondition: counts are non-negative.  Returns 0.0 without votes.
    """
    n = upvotes + downvotes
    if n == 0:
        return 0.0
    p = upvotes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt((p * (1 - p) + z * z / (4 * n)) / n)
    return (centre - spread) / (1 + z * z / n)
