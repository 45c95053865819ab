"""The shared file cache: counters that hold across processes."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

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


def test_get_reads_as_django_does(tmp_path) -> None:
    cache = _cache(tmp_path)
    big = "x" * 300_000  # read in more than one piece
    cache.set("big", big, None)
    assert cache.get("big") == big
    cache.set("old", 1, timeout=1)
    time.sleep(1.1)
    assert cache.get("old", "gone") == "gone"
    # An expired file is removed by the read that finds it, as in Django.
    assert [p.name for p in tmp_path.iterdir()] == [
        Path(cache._key_to_file("big")).name
    ]
    # An empty file counts as expired: missed and removed.
    Path(cache._key_to_file("empty")).write_bytes(b"")
    assert cache.get("empty") is None
    assert not Path(cache._key_to_file("empty")).exists()


def test_incr_shrinks_the_file_with_the_value(tmp_path) -> None:
    cache = _cache(tmp_path)
    cache.set("n", 2**80, None)
    assert cache.incr("n", -(2**80) + 1) == 1
    assert cache.get("n") == 1
    assert cache.incr("n") == 2


_WATCH_ADD = """
import sys
from tribune.core.filecache import SharedFileCache
cache = SharedFileCache(sys.argv[1], {})
seen = []
sys.addaudithook(lambda event, args: seen.append(event))
added = cache.add("k", 1, timeout=60)
print(added, seen.count("open"), seen.count("os.remove"))
"""


def test_add_publishes_an_unnamed_file_without_a_draft(tmp_path) -> None:
    # A draft name costs a directory entry to write and one to remove (205 us
    # per add on ext4 against 31 on tmpfs); an unnamed file is linked once.
    run = subprocess.run(
        [sys.executable, "-c", _WATCH_ADD, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.split() == ["True", "1", "0"]
    assert _cache(tmp_path).get("k") == 1
    assert [p.suffix for p in tmp_path.iterdir()] == [".djcache"]


def test_add_through_a_draft_where_unnamed_files_are_missing(tmp_path) -> None:
    cache = _cache(tmp_path)
    fname = cache._key_to_file("k")
    assert cache._add_through_draft(fname, "k", 1, 60, None) is True
    assert cache._add_through_draft(fname, "k", 2, 60, None) is False
    assert cache.get("k") == 1
    assert [p.suffix for p in tmp_path.iterdir()] == [".djcache"]
