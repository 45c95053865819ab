"""The per-process cache backend behaves as a Django cache, bounded by bytes."""

from __future__ import annotations

import warnings

import pytest
import time_machine
from django.utils.safestring import mark_safe
from wagtail.models import Locale, Page, Site

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
        cache.set("c", [1], timeout=100)
        # get_many reads them at once, as get would one by one: past ones
        # left out, values that could change handed out as copies.
        found = cache.get_many(["a", "b", "c", "missing"])
        assert found == {"a": 1, "c": [1]}
        found["c"].append(2)
        assert cache.get_many(["c"]) == {"c": [1]}
        clock.shift(100)
        assert cache.get_many(["a", "c"]) == {}


def test_instances_of_one_location_share_the_store_and_its_bound() -> None:
    first, second = _cache(50_000, "tests-shared"), _cache(50_000, "tests-shared")
    for n in range(20):
        first.set(f"k{n}", b"x" * 10_000)
    assert second.total_bytes <= 50_000
    assert second.get("k19") == b"x" * 10_000 and second.get("k0") is None


def test_immutable_values_are_handed_out_as_stored_and_others_as_copies() -> None:
    cache = _cache()
    page = ((b"<html>", b"</html>"), (("Content-Type", "text/html"),), ("s",), b"x")
    cache.set("page", page)
    assert cache.get("page") is page  # no unpickling on a hit
    rows = {"rows": [1, 2]}
    cache.set("rows", rows)
    got = cache.get("rows")
    got["rows"].append(3)
    assert cache.get("rows") == {"rows": [1, 2]}  # a list inside: a copy each time
    with_list = (b"a", [b"b"])
    cache.set("mixed", with_list)
    assert cache.get("mixed") == with_list and cache.get("mixed") is not with_list
    safe = mark_safe("<b>kept</b>")  # a str subclass: pickled, like any other type
    cache.set("safe", (safe,))
    assert cache.get("safe") == (safe,) and cache.get("safe")[0] is not safe
    cache.set("n", 1)
    assert cache.incr("n", 2) == 3 and cache.get("n") == 3


def test_values_kept_as_they_are_count_against_the_bound() -> None:
    cache = _cache(50_000, "tests-kept-bound")
    for n in range(20):
        cache.set(f"k{n}", (b"x" * 5_000, "y" * 5_000))
    assert 40_000 < cache.total_bytes <= 50_000
    assert cache.get("k19") is not None and cache.get("k0") is None


def test_any_string_is_a_key_without_memcached_warnings() -> None:
    cache = _cache()
    key = "a key with spaces\n" + "é" * 300
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error"
        )  # Django warns CacheKeyWarning per character check
        cache.set(key, 1)
        assert cache.get(key) == 1


def _site_with_its_root_page() -> Site:
    root = Page.get_first_root_node()
    if root is None:
        locale, _ = Locale.objects.get_or_create(language_code="en")
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    made = Site.objects.create(hostname="copies.test", root_page=root, site_name="A")
    return Site.objects.select_related("root_page").get(pk=made.pk)


@pytest.mark.django_db
def test_model_instances_are_made_from_their_field_values_not_unpickled() -> None:
    cache = _cache()
    site = _site_with_its_root_page()
    site.site_name = "".join(["Copies ", "of the site"])  # a str made at run time
    cache.set("kept", {"site": site, "pages": [site.root_page], "n": 3})
    got = cache.get("kept")
    copy = got["site"]
    assert type(copy) is Site and copy is not site and copy.pk == site.pk
    # The stored field values themselves: unpickling would make new strings.
    assert copy.site_name is site.site_name
    assert copy.root_page is not site.root_page
    assert copy.root_page.pk == site.root_page.pk and got["n"] == 3
    # One instance met twice is one instance in the copy, as pickle keeps it.
    assert got["pages"][0] is copy.root_page
    assert copy._state.db == "default" and copy._state.adding is False
    copy.site_name = "Changed"
    copy.root_page.title = "Changed"
    got["pages"].append(None)
    again = cache.get("kept")
    assert again["site"].site_name == site.site_name
    assert again["site"].root_page.title == site.root_page.title
    assert again["pages"] == [again["site"].root_page]


@pytest.mark.django_db
def test_an_instance_holding_a_value_of_another_kind_is_pickled() -> None:
    cache = _cache()
    site = _site_with_its_root_page()
    site.site_name = "".join(["Pickled ", "site"])
    site.notes = {"a set": {1, 2}}  # nothing a copy is made of
    cache.set("kept", site)
    copy = cache.get("kept")
    assert copy.notes == {"a set": {1, 2}} and copy.notes is not site.notes
    assert copy.site_name == site.site_name and copy.site_name is not site.site_name
