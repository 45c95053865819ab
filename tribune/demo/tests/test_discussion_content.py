"""The demo discussion looks like a real day: every comment after its report, none ahead of now."""

from __future__ import annotations

import pytest

from tribune.core import clock
from tribune.demo import discussion_content, newsroom_content
from tribune.discussion.models import Comment, HeldReason

pytestmark = pytest.mark.django_db


def test_every_demo_comment_lies_between_its_report_and_now():
    newsroom_content.load()
    assert discussion_content.load().comments > 1000
    now = clock.now()
    comments = Comment.objects.select_related("thread__page", "parent")
    for comment in comments:
        published = comment.thread.page.first_published_at
        assert published < comment.created_at <= now, comment.pk
        if comment.parent is not None:
            assert comment.parent.created_at <= comment.created_at, comment.pk
    # Busy early, quieter later: over half the big thread comes in its first third.
    big = max({c.thread for c in comments}, key=lambda t: t.comment_count)
    times = sorted(c.created_at for c in comments if c.thread_id == big.pk)
    third = times[0] + (times[-1] - times[0]) / 3
    assert sum(t <= third for t in times) >= len(times) / 2
    # The queue shows a comment held for offensive language.
    assert Comment.objects.filter(held_reason=HeldReason.OFFENSIVE).count() == 1
