"""The per-process cache backend behaves as a Django cache, bounded by bytes."""

from __future__ import annotations

import time_machine

from tribune.core.memorycache import MemoryCache


def _cache(max_bytes: int = 1_000_000, name: str = "tests-memorycache") -> MemoryCache:
    cache = MemoryCache(name, {"OPTIONS": {"MAX_BYTES": max_bytes}})
    cache.clear()
    return cache


def test_the_django_cache_operations() -> None:
    cache = _cache()
    cache.set("a", {"n": 1})
    assert cache.get("a") == {"n": 1} and cache.get("missing", 7) == 7
    assert not cache.add("a", 2) and cache.add("b", 2)
    assert cache.incr("b", 3) == 5 and cache.get("b") == 5
    assert cache.get_many(["a", "b", "c"]) == {"a": {"n": 1}, "b": 5}
    assert cache.delete("a") and not cache.has_key("a")
    cache.clear()
    assert cache.get("b") is None and cache.total_bytes == 0


def test_timeouts_and_touch() -> None:
    cache = _cache()
    with time_machine.travel(1_000_000, tick=False) as clock:
        cache.set("a", 1, timeout=10)
        cache.set("b", 1, timeout=10)
        cache.incr("b")
        assert cache.touch("a", timeout=100)
        clock.shift(11)
        assert cache.get("a") == 1
        assert cache.get("b") is None  # incr kept the first deadline


def test_instances_of_one_location_share_the_store_and_its_bound() -> None:
    first, second = _cache(50_000, "tests-shared"), _cache(50_000, "tests-shared")
    for n in range(20):
        first.set(f"k{n}", b"x" * 10_000)
    assert second.total_bytes <= 50_000
    assert second.get("k19") == b"x" * 10_000 and second.get("k0") is None
