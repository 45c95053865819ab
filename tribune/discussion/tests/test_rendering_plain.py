"""The plain-text path of comment rendering (decision 0042): for every text it
takes, the same HTML as markdown-it and nh3; every other text goes through them."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tribune.core.text import clean_reader_text
from tribune.discussion.rendering import (
    render_and_count_links,
    render_full,
    render_plain,
)
from tribune.discussion.spamfilter.corpus import read_seed

WORDS = ["the", "report", "council", "budget", "school", "vote", "Zoë", "中文"]


def _posted(text: str) -> str:
    """The text as clean_body hands it to rendering."""
    return clean_reader_text(text).strip()


def _bench_text(rng: random.Random, i: int) -> str:
    """As the benchmark harness writes comments: a "[i]" prefix, paragraphs,
    a word in stars now and then."""
    paras = []
    for _ in range(rng.randrange(1, 5)):
        words = [rng.choice(WORDS) for _ in range(rng.randrange(3, 30))]
        words = [f"*{w}*" if w.isascii() and rng.random() < 0.05 else w for w in words]
        paras.append(" ".join(words).capitalize() + ".")
    return f"[{i}] " + "\n\n".join(paras)


def _assert_same(text: str) -> bool:
    """True when the plain path took `text`; fails if it differs from the full one."""
    plain = render_plain(text)
    if plain is not None:
        assert plain == render_full(text)[0], text
    return plain is not None


def test_plain_path_equals_the_libraries_on_the_seed_corpus():
    texts = [_posted(s.text) for s in read_seed().samples]
    taken = sum(_assert_same(t) for t in texts if t)
    assert taken > len(texts) // 2  # most comments are plain text


def test_plain_path_equals_the_libraries_on_benchmark_texts():
    rng = random.Random(15)
    texts = [_bench_text(rng, i) for i in range(500)]
    assert all(_assert_same(t) for t in texts)


# Characters that start Markdown or HTML or that either library changes, words
# that make them (a list marker, a link, emphasis), and plain words around them.
_PIECES = st.sampled_from(
    [
        *" \n\n*[]()-+.1_#=!:;,?0\"'\t<&`\\>~|{}^$%@\u00a0\u2003\r\x0b\x85",
        *("*ab*", "](", "1. ", "2) ", "- ", "* ", "**", "http://x.y ", "www.a.b"),
        *("a", "word", "é", "中", "🙂", "\ufffe", "*7*", "&amp;", "<b>", "  \n"),
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=30))
def test_plain_path_equals_the_libraries_on_generated_texts(pieces):
    text = _posted("".join(pieces))
    if text:
        _assert_same(text)


@settings(max_examples=2000, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_plain_path_equals_the_libraries_on_any_unicode_text(text):
    text = _posted(text)
    if text:
        _assert_same(text)


@pytest.mark.parametrize(
    "text",
    [
        "*a* **b**",
        "a *b*c",
        "_a_",
        "`x`",
        "[x](https://example.org)",
        "<https://example.org>",
        "a &amp; b",
        "a < b",
        "a\\*b",
        "- one\n- two",
        "1. one",
        "2024) was a year",
        "    code",
        "a  \nb",
        "> quoted",
        "~~~\ncode\n~~~",
        "a\u00a0b",
        "a\tb",
        "a\rb",
        "",
        "\n",
        "a\n",
        "\na",
        "\n\na\n\n",
    ],
)
def test_markup_and_changed_characters_take_the_full_path(text):
    assert render_plain(text) is None
    html, _links = render_and_count_links(text)
    assert html == render_full(text)[0]


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("[12] The *budget*.", "<p>[12] The <em>budget</em>.</p>"),
        ("a\nb\n\n\nc", "<p>a<br>\nb</p>\n<p>c</p>"),
        ('He said "no" [sic]', '<p>He said "no" [sic]</p>'),
    ],
)
def test_plain_text_becomes_paragraphs_line_breaks_and_emphasis(text, html):
    assert render_plain(text) == html == render_full(text)[0]


def test_bare_links_still_count_on_the_plain_path():
    text = "see www.example.org and https://example.com/a today"
    assert render_plain(text) is not None
    assert render_and_count_links(text) == (render_full(text)[0], 2)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=30))
def test_untrimmed_text_from_imports_and_edits_renders_as_the_libraries_do(pieces):
    text = "".join(pieces)
    assert render_and_count_links(text)[0] == render_full(text)[0]
