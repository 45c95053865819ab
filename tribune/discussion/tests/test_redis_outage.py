"""Comments and pages while the shared cache's Redis is away (core/cache.py).

Through the test client with real transactions, so the work after commit runs
as it does in production.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tribune.core.testing import REDIS_RETRY_SECONDS, RedisServer
from tribune.discussion import spam
from tribune.discussion.errors import RateLimitedError
from tribune.discussion.models import Comment
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom


def _back(redis: RedisServer) -> None:
    """Redis answers again, and the cache has waited long enough to try it."""
    if redis.process is None:
        redis.start()
    else:
        redis.resume()
    time.sleep(REDIS_RETRY_SECONDS + 0.05)


def test_rate_limits_count_in_the_process_while_redis_is_away(
    redis_cache: RedisServer, settings: Any
) -> None:
    settings.DISCUSSION_RATE_PER_IP_PER_MINUTE = 2
    redis_cache.stop()
    spam.check_rate(ip="192.0.2.1", email="")
    spam.check_rate(ip="192.0.2.1", email="")
    with pytest.raises(RateLimitedError):
        spam.check_rate(ip="192.0.2.1", email="")


@pytest.fixture
def article(redis_cache: RedisServer, settings: Any, transactional_db: Any) -> Any:
    settings.PAGECACHE_SECONDS = 60
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    factories.rules()
    return newsroom.article()


def _post(client: Client, article: Any, body: str) -> Any:
    return client.post(
        reverse("discussion:post", args=[article.pk]),
        {
            "body": body,
            "name": "Ada Reader",
            "email": "ada@example.org",
            "website": "",
            "key": "b" * 32,
            "started": spam.issue_form_token(),
            "nickname": "",
        },
    )


def _reader() -> Client:
    return Client(raise_request_exception=False)


def test_site_serves_and_stores_comments_while_redis_is_stopped(
    redis_cache: RedisServer, article: Any
) -> None:
    assert _reader().get(article.url)["X-Page-Cache"] == "miss"
    assert _reader().get(article.url)["X-Page-Cache"] == "hit"
    redis_cache.stop()
    page = _reader().get(article.url)
    assert page.status_code == 200
    assert page.get("X-Page-Cache") is None  # rendered, and not kept
    assert _reader().get("/healthz").status_code == 200
    ready = _reader().get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["cache"] == "down"
    posted = _post(_reader(), article, "Written while the cache was away.")
    assert posted.status_code == 303
    assert Comment.objects.filter(
        body_markdown__contains="while the cache was away"
    ).exists()
    _back(redis_cache)
    first, second = _reader().get(article.url), _reader().get(article.url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert "Written while the cache was away." in second.content.decode()
    assert caches["default"].get_many(["pagecache:generation"])  # in Redis again


def test_comment_stored_while_redis_hangs_is_answered_and_shown_once_it_is_back(
    redis_cache: RedisServer, article: Any
) -> None:
    _reader().get(article.url)
    assert _reader().get(article.url)["X-Page-Cache"] == "hit"
    redis_cache.pause()  # the invalidation after commit cannot reach it
    posted = _post(_reader(), article, "Stored while Redis hung.")
    assert posted.status_code == 303
    assert Comment.objects.filter(body_markdown="Stored while Redis hung.").exists()
    _back(redis_cache)
    # Redis kept the old generations; the copy made before the comment is retired.
    assert "Stored while Redis hung." in _reader().get(article.url).content.decode()


def test_a_folds_replies_are_served_while_redis_is_stopped_and_kept_once_back(
    redis_cache: RedisServer, article: Any, settings: Any
) -> None:
    settings.DISCUSSION_COLLAPSE_AFTER = 2
    thread = factories.thread(article)
    root = factories.comment(in_thread=thread)
    for i in range(3):
        factories.comment(parent=root, body=f"Reply number {i}")
    url = reverse("discussion:replies", args=[article.pk, root.pk])
    assert _reader().get(url)["X-Page-Cache"] == "miss"
    assert _reader().get(url)["X-Page-Cache"] == "hit"
    redis_cache.stop()
    answered = _reader().get(url)
    assert answered.status_code == 200 and answered.get("X-Page-Cache") is None
    assert answered.content.decode().count("Reply number") == 3
    factories.comment(parent=root, body="Reply number 3")
    _back(redis_cache)
    first, second = _reader().get(url), _reader().get(url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content.decode().count("Reply number") == 4
