import pytest
from django.core.cache import caches
from django.utils import translation

from tribune.core import pagecache, skeletons


@pytest.fixture(autouse=True)
def _empty_local_cache():
    caches["local"].clear()
    yield
    caches["local"].clear()


def _holes(request):
    return request.__dict__.get("_pagecache_holes", {})


def _form_render(request, calls):
    """A fragment with two holes of different kinds and one CSRF token twice."""

    def render():
        calls.append(1)
        token = pagecache.hole(request, "csrf")
        key = pagecache.hole(request, "uuid")
        return (
            f'<form><input name="csrfmiddlewaretoken" value="{token}">'
            f'<input name="key" value="{key}"><i>{token}</i> &lt;b&gt;</form>'
        )

    return render


def test_a_second_render_joins_the_copy_around_fresh_holes(rf):
    calls = []
    first = rf.get("/")
    made = skeletons.render_once(first, "t:form", _form_render(first, calls))
    second = rf.get("/")
    again = skeletons.render_once(second, "t:form", _form_render(second, calls))
    assert calls == [1]  # the second request did not render
    old, new = set(_holes(first)), set(_holes(second))
    assert old.isdisjoint(new)
    # Every fresh value is a hole of the page cache, and in the HTML.
    assert sorted(_holes(second).values()) == ["csrf", "csrf", "uuid"]
    for value in new:
        assert value in again
    for value in old:
        assert value not in again
    shape = made
    for value, name in _holes(first).items():
        shape = shape.replace(value, name)
    filled = again
    for value, name in _holes(second).items():
        filled = filled.replace(value, name)
    assert filled == shape


def test_a_token_made_before_the_fragment_is_not_kept_in_the_copy(rf):
    first = rf.get("/")
    # The page's lazy csrf_token was already evaluated above the fragment.
    earlier = pagecache.hole(first, "csrf")
    skeletons.render_once(first, "t:late", lambda: f"<p>{earlier}</p>")
    second = rf.get("/")
    again = skeletons.render_once(second, "t:late", lambda: "never called")
    assert earlier not in again
    assert list(_holes(second).values()) == ["csrf"]


def test_a_fragment_without_holes_is_served_as_rendered(rf):
    calls = []

    def render():
        calls.append(1)
        return "<p>Same for everyone</p>"

    for _ in range(3):
        assert skeletons.render_once(rf.get("/"), "t:plain", render) == (
            "<p>Same for everyone</p>"
        )
    assert calls == [1]


def test_each_language_has_its_own_copy(rf):
    def render():
        return f"<p>{translation.get_language()}</p>"

    with translation.override("de"):
        assert skeletons.render_once(rf.get("/"), "t:lang", render) == "<p>de</p>"
    with translation.override("fr"):
        assert skeletons.render_once(rf.get("/"), "t:lang", render) == "<p>fr</p>"
    with translation.override("de"):
        assert skeletons.render_once(rf.get("/"), "t:lang", render) == "<p>de</p>"


def test_without_a_request_it_renders_and_keeps_nothing():
    calls = []

    def render():
        calls.append(1)
        return "<p>x</p>"

    skeletons.render_once(None, "t:none", render)
    skeletons.render_once(None, "t:none", render)
    assert calls == [1, 1]


def test_while_developing_every_request_renders(rf, settings):
    settings.DEBUG = True
    calls = []

    def render():
        calls.append(1)
        return "<p>x</p>"

    skeletons.render_once(rf.get("/"), "t:debug", render)
    skeletons.render_once(rf.get("/"), "t:debug", render)
    assert calls == [1, 1]


class _Counter:
    """A value whose every rendering is counted."""

    def __init__(self):
        self.renders = 0

    def __str__(self):
        self.renders += 1
        return f"render {self.renders}"


def _keep(request, counter, *values):
    from django.template import Context, Template

    source = (
        "{% load skeleton_tags %}{% keep 'k' a b %}<p>{{ counter }}</p>{% endkeep %}"
    )
    context = {"request": request, "counter": counter, "a": values[0], "b": values[1]}
    return Template(source).render(Context(context))


def test_keep_renders_once_per_set_of_values(rf):
    counter = _Counter()
    assert _keep(rf.get("/"), counter, 1, "x") == "<p>render 1</p>"
    assert _keep(rf.get("/"), counter, 1, "x") == "<p>render 1</p>"
    assert _keep(rf.get("/"), counter, 2, "x") == "<p>render 2</p>"
    assert _keep(rf.get("/"), counter, 1, "y") == "<p>render 3</p>"
    assert _keep(rf.get("/"), counter, "1", "x") == "<p>render 4</p>"  # repr differs
    with translation.override("de"):
        assert _keep(rf.get("/"), counter, 1, "x") == "<p>render 5</p>"


def test_keep_renders_every_time_when_a_value_is_none(rf):
    counter = _Counter()
    assert _keep(rf.get("/"), counter, 1, None) == "<p>render 1</p>"
    assert _keep(rf.get("/"), counter, 1, None) == "<p>render 2</p>"
    assert _keep(None, counter, 1, 2) == "<p>render 3</p>"
    assert _keep(None, counter, 1, 2) == "<p>render 4</p>"


def test_keep_keys_by_the_script_prefix(rf):
    from django.urls import get_script_prefix, set_script_prefix

    counter = _Counter()
    before = get_script_prefix()
    try:
        _keep(rf.get("/"), counter, 1, 2)
        set_script_prefix("/news/")
        assert _keep(rf.get("/"), counter, 1, 2) == "<p>render 2</p>"
    finally:
        set_script_prefix(before)
