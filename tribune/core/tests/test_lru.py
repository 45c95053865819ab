"""The byte-bounded store behind the per-process cache."""

from __future__ import annotations

from tribune.core.lru import ByteLRU


def _size(key: str, n: int) -> int:
    return ByteLRU.size(key, b"x" * n)


def test_least_recently_used_entries_leave_first_to_stay_within_the_bound() -> None:
    store = ByteLRU(max_bytes=3 * _size("a", 100))
    for key in "abc":
        assert store.put(key, b"x" * 100, None)
    assert store.get("a", now=0) is not None  # "b" is now the oldest use
    store.put("d", b"x" * 100, None)
    assert store.lru_keys() == ["c", "a", "d"]
    assert store.total == 3 * _size("a", 100)


def test_one_large_entry_evicts_as_many_as_needed() -> None:
    store = ByteLRU(max_bytes=1000)
    for key in "abcd":
        store.put(key, b"x" * 50, None)
    store.put("big", b"x" * 600, None)
    assert store.total <= 1000 and "big" in store.lru_keys()
    assert store.lru_keys()[0] != "a"


def test_a_value_larger_than_the_bound_is_not_kept() -> None:
    store = ByteLRU(max_bytes=1000)
    store.put("a", b"x", None)
    assert not store.put("b", b"x" * 2000, None)
    assert store.lru_keys() == ["a"] and store.get("b", now=0) is None


def test_replacing_and_popping_keep_the_count_exact() -> None:
    store = ByteLRU(max_bytes=10_000)
    store.put("a", b"x" * 10, None)
    store.put("a", b"x" * 500, None)
    assert store.total == _size("a", 500)
    assert store.pop("a") and not store.pop("a")
    assert store.total == 0 and len(store) == 0


def test_expired_entries_are_gone_and_touch_moves_the_deadline() -> None:
    store = ByteLRU(max_bytes=10_000)
    store.put("a", b"1", deadline=10.0)
    store.put("b", b"2", deadline=10.0)
    assert store.touch("b", 20.0, now=5.0)
    assert store.get("a", now=10.0) is None
    assert store.get("b", now=10.0) == b"2"
    assert store.total == _size("b", 1)
    assert not store.touch("a", 30.0, now=11.0)
