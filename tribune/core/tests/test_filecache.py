"""The shared file cache: counters that hold across processes."""

from __future__ import annotations

import multiprocessing
import pickle
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.core.cache.backends.filebased import FileBasedCache

from tribune.core.filecache import MAX_PATHS, SharedFileCache, _entry


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


def test_small_values_are_stored_streams_that_django_reads(tmp_path) -> None:
    cache = _cache(tmp_path)
    django = FileBasedCache(str(tmp_path), {})
    values = {"n": 12, "text": "a" * 40, "big": list(range(400)), "none": None}
    for key, value in values.items():
        cache.set(key, value, None)
    cache.add("deadline", 7, timeout=60)
    assert cache.incr("deadline") == 8
    for key, value in {**values, "deadline": 8}.items():
        assert django.get(key) == cache.get(key) == value
    body = Path(cache._key_to_file("n")).read_bytes()[len(pickle.dumps(None, 5)) :]
    # zlib's header, then a final stored block: no deflate set-up for a counter.
    assert body[:3] == b"\x78\x01\x01" and zlib.decompress(body) == pickle.dumps(12, 5)
    big = Path(cache._key_to_file("big")).read_bytes()[len(pickle.dumps(None, 5)) :]
    assert big[:2] == b"\x78\x9c"  # large values are still compressed


@pytest.mark.parametrize(
    "expiry", [None, 0, 1.5, 1_800_000_000.25, float("inf"), 2**40, -3.0]
)
def test_expiries_are_written_and_read_as_pickle_does(tmp_path, expiry) -> None:
    cache = _cache(tmp_path)
    value = pickle.dumps("v", 5)
    content = cache._pack(expiry, "v")
    assert content.startswith(pickle.dumps(expiry, 5))
    assert _entry(content) == (expiry, content[len(pickle.dumps(expiry, 5)) :])
    assert zlib.decompress(_entry(content)[1]) == value
    assert _entry(b"") == (0, b"") and _entry(b"\x80\x05") == (0, b"")


def test_the_file_of_a_key_is_remembered_within_a_bound(tmp_path) -> None:
    cache = _cache(tmp_path)
    django = FileBasedCache(str(tmp_path), {})
    assert cache._key_to_file("k", 2) == django._key_to_file("k", 2)
    assert cache._paths == {("k", 2): django._key_to_file("k", 2)}
    for n in range(MAX_PATHS + 10):
        cache._key_to_file(f"k{n}")
    assert 0 < len(cache._paths) <= MAX_PATHS
    with pytest.warns(CacheKeyWarning):  # checked when first met, as Django does
        cache._key_to_file("a key with spaces")
