"""A comment posted while Redis (cache and RQ queue) is stopped: stored, answered,
and its notices left for the periodic job to enqueue again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tribune.config import env
from tribune.core.testing import RedisServer
from tribune.discussion import spam
from tribune.discussion.models import Comment
from tribune.discussion.tests import factories as discussion_factories
from tribune.newsroom.tests import factories as newsroom
from tribune.subscriptions.models import Announcement
from tribune.subscriptions.tests import factories as subscriptions

pytestmark = pytest.mark.django_db(transaction=True)


def test_comment_is_stored_and_answered_when_the_task_queue_is_down(
    redis_cache: RedisServer, settings: Any
) -> None:
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    discussion_factories.rules()
    article = newsroom.article()
    subscriptions.confirmed(
        email="follower@example.org", thread=discussion_factories.thread(article)
    )
    # The queue as base.py configures it with REDIS_URL, on the stopped server.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    }
    settings.RQ_QUEUES = {"default": {"URL": env.with_timeouts(redis_cache.url, 0.3)}}
    redis_cache.stop()
    response = Client(raise_request_exception=False).post(
        reverse("discussion:post", args=[article.pk]),
        {
            "body": "Posted while the queue was down.",
            "name": "Ada Reader",
            "email": "ada@example.org",
            "website": "",
            "key": "c" * 32,
            "started": spam.issue_form_token(),
            "nickname": "",
        },
    )
    assert response.status_code == 303
    comment = Comment.objects.get(body_markdown="Posted while the queue was down.")
    # Not told yet: requeue_announcements enqueues it once the queue is back.
    assert Announcement.objects.get(comment=comment).done_at is None
