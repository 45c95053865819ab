"""The site's URL map (config/urls.py): its order costs, never decides."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from tribune.config import urls


def _first_segments(entry: URLPattern | URLResolver) -> set[str]:
    """The literal first path segments an entry can answer (an include with an
    empty prefix answers those of its own entries)."""
    pattern = str(entry.pattern)
    if isinstance(entry, URLResolver) and pattern == "":
        return set().union(*(_first_segments(e) for e in entry.url_patterns))
    first = pattern.removeprefix("^").split("/", 1)[0]
    # A converter or a regular expression here could take any first segment.
    wild = "<" if isinstance(entry.pattern, RoutePattern) else r"[<>()\[\]\\.*+?|$]"
    assert first and not re.search(wild, first), pattern
    return {first}


def test_no_two_entries_take_the_same_first_segment():
    """So moving an app's include (the discussion first, for the API's writes)
    cannot change which view answers a path; only Wagtail's page tree, last,
    takes what none of them takes."""
    *entries, pages = urls.urlpatterns
    assert isinstance(pages, URLResolver)
    assert pages.urlconf_name.__name__ == "wagtail.urls"
    taken: dict[str, str] = {}
    for entry in entries:
        for segment in _first_segments(entry):
            assert segment not in taken, (segment, taken.get(segment), entry.pattern)
            taken[segment] = str(entry.pattern)
    assert {"api", "comments", "admin", "support", "me"} <= taken.keys()


def test_an_api_write_is_resolved_by_the_first_entry():
    """A new comment's POST does not try (and fail) every other app's URLs first."""
    path = reverse("discussion:api_thread", kwargs={"page_id": 12})
    first = get_resolver().url_patterns[0]
    match = first.resolve(path.lstrip("/"))
    assert match is not None and match.url_name == "api_thread"
