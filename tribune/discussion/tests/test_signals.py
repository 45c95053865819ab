"""A new comment's signals: sent once its transaction commits, in order, each
receiver on its own."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from tribune.discussion import signals
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_posts_signals_go_after_its_commit_in_order_past_a_failing_receiver():
    thread = factories.thread(newsroom.article())
    seen: list[tuple[str, object]] = []

    def posted(sender, comment, notify, **kwargs):
        seen.append(("posted", connection.in_atomic_block))
        raise RuntimeError("a receiver that fails")

    def visible(sender, comment, count=None, **kwargs):
        seen.append(("visible", count))

    signals.comment_posted.connect(posted, dispatch_uid="test-posted")
    signals.comment_visible.connect(visible, dispatch_uid="test-visible")
    try:
        with transaction.atomic():
            factories.comment(in_thread=thread, notify="all")
            assert seen == []  # nothing before the commit
        assert seen == [("posted", False), ("visible", 1)]
        assert len(connection.run_on_commit) == 0
    finally:
        signals.comment_posted.disconnect(dispatch_uid="test-posted")
        signals.comment_visible.disconnect(dispatch_uid="test-visible")


def test_one_hook_carries_all_of_a_posts_signals():
    thread = factories.thread(newsroom.article())
    with transaction.atomic():
        factories.comment(in_thread=thread, notify="all")
        hooks = [func for _ids, func, _robust in connection.run_on_commit]
    # The page caches' drop, the live processes' wake, and the signals' one.
    senders = [f for f in hooks if f.__module__ == posting_module()]
    assert len(senders) == 1


def posting_module() -> str:
    from tribune.discussion.services import posting

    return posting.__name__
