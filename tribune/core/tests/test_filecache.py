"""The shared file cache: counters that hold across processes."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from tribune.core.filecache import SharedFileCache


def _cache(folder) -> SharedFileCache:
    return SharedFileCache(str(folder), {})


def _count(folder, times: int) -> None:
    cache = _cache(folder)
    for _ in range(times):
        cache.incr("hits")


def test_incr_adds_and_keeps_the_expiry(tmp_path) -> None:
    cache = _cache(tmp_path)
    cache.set("n", 1, timeout=1)
    assert cache.incr("n", 4) == 5
    assert cache.get("n") == 5
    time.sleep(1.1)
    assert cache.get("n") is None


def test_incr_of_a_missing_or_expired_key_raises(tmp_path) -> None:
    cache = _cache(tmp_path)
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.set("old", 1, timeout=1)
    time.sleep(1.1)
    with pytest.raises(ValueError):
        cache.incr("old")


def test_processes_counting_at_once_lose_no_count(tmp_path) -> None:
    _cache(tmp_path).set("hits", 0, None)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_count, args=(tmp_path, 300)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert _cache(tmp_path).get("hits") == 900


def test_add_only_when_missing_or_expired(tmp_path) -> None:
    cache = _cache(tmp_path)
    assert cache.add("k", 1, timeout=1) is True
    assert cache.add("k", 2, timeout=1) is False
    assert cache.get("k") == 1
    time.sleep(1.1)
    assert cache.add("k", 3, timeout=60) is True
    assert cache.get("k") == 3
    assert cache.incr("k") == 4
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".djcache"]


def _add_many(folder, keys: int, results) -> None:
    # Room for every key: at Django's default of 300 entries a process's first
    # add may cull a third of them, and the others then add those keys again.
    cache = SharedFileCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": 10 * keys}})
    results.put(sum(cache.add(f"key-{i}", 1, timeout=60) for i in range(keys)))


def test_processes_adding_at_once_add_each_key_once(tmp_path) -> None:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [
        context.Process(target=_add_many, args=(tmp_path, 300, results))
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    added = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert sum(added) == 300
