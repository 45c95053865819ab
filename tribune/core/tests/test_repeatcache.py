"""The renditions alias: writes through to the shared cache, minus the repeats."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches

from tribune.core.repeatcache import RepeatSkippingCache


def _alias(**options: Any) -> RepeatSkippingCache:
    return RepeatSkippingCache("test", {"OPTIONS": {"TARGET": "default", **options}})


def test_reads_and_first_writes_go_to_the_shared_cache() -> None:
    alias = _alias()
    alias.set("k", {"a": 1})
    assert caches["default"].get("k") == {"a": 1}
    assert alias.get("k") == {"a": 1}
    assert alias.get_many(["k", "missing"]) == {"k": {"a": 1}}
    caches["default"].set("k", "written elsewhere")
    assert alias.get("k") == "written elsewhere"  # never a copy of its own


def test_a_repeated_write_within_the_window_is_dropped() -> None:
    alias = _alias(SKIP_SECONDS=60)
    alias.set("k", "v")
    caches["default"].delete("k")  # so that a write would show
    alias.set("k", "v")
    assert caches["default"].get("k") is None


def test_a_changed_value_or_an_expired_window_is_written() -> None:
    alias = _alias(SKIP_SECONDS=60)
    alias.set("k", "v")
    caches["default"].delete("k")
    alias.set("k", "w")
    assert caches["default"].get("k") == "w"
    at_once = _alias(SKIP_SECONDS=0)
    at_once.set("j", "v")
    caches["default"].delete("j")
    at_once.set("j", "v")
    assert caches["default"].get("j") == "v"


@pytest.mark.parametrize("how", ["delete", "delete_many", "clear", "add", "incr"])
def test_deleting_through_the_alias_forgets_the_write(how: str) -> None:
    alias = _alias()
    alias.set("k", 1)
    if how == "delete":
        alias.delete("k")
    elif how == "delete_many":
        alias.delete_many(["k"])
    elif how == "clear":
        alias.clear()
    elif how == "add":
        caches["default"].delete("k")
        assert alias.add("k", 2)
    else:
        assert alias.incr("k") == 2
    caches["default"].delete("k")
    alias.set("k", 1)
    assert caches["default"].get("k") == 1


def test_set_many_and_other_versions_are_keys_of_their_own() -> None:
    alias = _alias()
    alias.set_many({"a": 1, "b": 2})
    alias.set("a", 1, version=2)
    assert caches["default"].get("a", version=2) == 1
    assert caches["default"].get_many(["a", "b"]) == {"a": 1, "b": 2}


def test_the_number_remembered_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from tribune.core import repeatcache

    monkeypatch.setattr(repeatcache, "MAX_REMEMBERED", 3)
    alias = _alias()
    for i in range(5):
        alias.set(f"k{i}", i)
    caches["default"].delete("k0")
    alias.set("k0", 0)  # forgotten first, so written again
    assert caches["default"].get("k0") == 0
    assert len(alias._written) == 3


def test_wagtail_uses_the_alias_for_renditions() -> None:
    from wagtail.images.models import Rendition

    assert isinstance(Rendition.cache_backend, RepeatSkippingCache)
