"""The shared cache on a real redis-server that goes away and comes back."""

from __future__ import annotations

import logging
import time

import pytest
from django.core.cache import cache

from tribune.core import generations
from tribune.core.cache import is_available
from tribune.core.testing import REDIS_RETRY_SECONDS, RedisServer


def _back(redis: RedisServer) -> None:
    """Redis answers again, and the cache has waited long enough to try it."""
    if redis.process is None:
        redis.start()
    else:
        redis.resume()
    time.sleep(REDIS_RETRY_SECONDS + 0.05)


def test_reads_are_misses_and_writes_are_dropped_while_redis_is_away(
    redis_cache: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    cache.set("kept", "yes")
    redis_cache.stop()
    with caplog.at_level(logging.WARNING, logger="tribune.core.cache"):
        assert cache.get("kept") is None
        cache.set("other", 1)
        cache.delete("kept")
        assert cache.get_many(["kept", "other"]) == {}
    assert not is_available()
    assert len(caplog.records) == 1  # one line for the outage, not one per call
    assert "unreachable" in caplog.records[0].getMessage()


def test_a_hung_redis_holds_only_the_first_call(redis_cache: RedisServer) -> None:
    cache.set("kept", "yes")
    redis_cache.pause()
    started = time.monotonic()
    assert cache.get("kept") is None
    first = time.monotonic() - started
    started = time.monotonic()
    for _ in range(50):
        cache.get("kept")
    assert first < 1.0  # the socket timeout, not a hang
    assert time.monotonic() - started < 0.1  # the others do not wait at all


def test_cache_is_used_again_once_redis_is_back(redis_cache: RedisServer) -> None:
    redis_cache.stop()
    cache.set("key", "lost")
    _back(redis_cache)
    cache.set("key", "kept")
    assert cache.get("key") == "kept"
    assert is_available()


def test_keys_written_while_redis_was_away_are_deleted_when_it_is_back(
    redis_cache: RedisServer,
) -> None:
    cache.set("bar", "old figure")
    cache.set("untouched", "same")
    redis_cache.pause()  # keeps its data, as a Redis that was only unreachable
    # A command that timed out may still run when Redis wakes; the next ones
    # are not sent at all.
    assert cache.get("probe") is None
    cache.delete("bar")  # e.g. a donation dropping the cached goal bar
    _back(redis_cache)
    assert cache.get("bar") is None  # not the old figure
    assert cache.get("untouched") == "same"


def test_a_missing_generation_starts_above_any_earlier_one(
    redis_cache: RedisServer,
) -> None:
    first = generations.current("g")
    assert first is not None
    generations.advance("g")
    assert generations.current("g") == first + 1
    cache.clear()  # e.g. Redis restarted without its data
    again = generations.current("g")
    assert again is not None
    assert again > first + 1


def test_no_generation_and_nothing_kept_while_redis_is_away(
    redis_cache: RedisServer,
) -> None:
    redis_cache.stop()
    assert generations.current("g") is None
    assert not generations.advance("g")
    made = []
    assert generations.remember("g", "k", lambda: made.append(1) or 1, 60) == 1
    assert generations.remember("g", "k", lambda: made.append(1) or 1, 60) == 1
    assert len(made) == 2  # made each time, never kept under a guessed number
