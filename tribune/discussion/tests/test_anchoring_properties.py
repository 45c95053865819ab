"""Properties of anchoring over generated texts, and a long revised article."""

import random

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tribune.discussion.anchoring import (
    Anchor,
    Block,
    Method,
    Placement,
    _myers,
    make_anchor,
    reanchor,
    reanchor_many,
)
from tribune.discussion.tests.test_anchoring import (
    assert_points_at,
)

# Properties -----------------------------------------------------------------------

# A small alphabet makes repeated quotes and shared context likely, which is where
# disambiguation can go wrong; accents and emoji exercise code-point offsets.
CHARS = st.sampled_from("aab éñ.,🙂   ")
TEXTS = st.text(CHARS, min_size=1, max_size=120)


def collapse(text: str) -> str:
    return " ".join(text.split())


def overlapping_count(text: str, quote: str) -> int:
    return sum(text.startswith(quote, i) for i in range(len(text)))


@st.composite
def selections(draw: st.DrawFn) -> tuple[list[Block], Anchor]:
    text = draw(TEXTS)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    assume(text[start:end].strip())
    blocks = [Block("before", "Intro."), Block("x", text), Block("after", "Outro.")]
    return blocks, make_anchor(blocks, "x", start, end)


@given(selections())
@settings(max_examples=300, deadline=None)
def test_unchanged_blocks_always_give_exact_with_identical_anchor(
    case: tuple[list[Block], Anchor],
) -> None:
    blocks, anchor = case
    assert reanchor(anchor, blocks) == Placement(anchor, Method.EXACT, 1.0)


@given(selections(), st.data())
@settings(max_examples=300, deadline=None)
def test_text_inserted_before_selection_never_loses_the_quote(
    case: tuple[list[Block], Anchor], data: st.DataObject
) -> None:
    blocks, anchor = case
    at = data.draw(st.integers(0, anchor.start), label="insert at")
    inserted = data.draw(TEXTS, label="inserted")
    old = blocks[1].text
    text = old[:at] + inserted + old[at:]
    edited = [blocks[0], Block("x", text), blocks[2]]
    placement = reanchor(anchor, edited)
    assert placement.method in (Method.EXACT, Method.CONTEXT)
    new = assert_points_at(placement, edited)
    assert new.block_id == "x"
    assert collapse(new.exact) == collapse(anchor.exact)
    if overlapping_count(collapse(text), collapse(anchor.exact)) == 1:
        assert new.start == anchor.start + len(inserted)


@given(st.text("abc", max_size=40), st.text("abcd", max_size=40), st.booleans())
@settings(max_examples=300, deadline=None)
def test_edit_distances_match_textbook_dynamic_programming(
    pattern: str, text: str, anchored: bool
) -> None:
    assume(pattern)
    previous = list(range(len(pattern) + 1))
    expected = []
    for j, char in enumerate(text):
        row = [j + 1 if anchored else 0]
        for i, p in enumerate(pattern, 1):
            row.append(
                min(previous[i] + 1, row[i - 1] + 1, previous[i - 1] + (p != char))
            )
        expected.append(row[-1])
        previous = row
    assert _myers(pattern, text, anchored=anchored) == expected


# Benchmark-style scenario (correctness only; timing lives in bench/) ---------------

VOCABULARY = (
    "city council budget school road housing rent energy price vote member report "
    "mayor tram bridge river park health nurse doctor police court judge law tax "
    "worker union strike farmer market harbour museum library election campaign"
)


def long_article(rng: random.Random, blocks: int = 60) -> list[Block]:
    body = []
    for i in range(blocks):
        words = [rng.choice(VOCABULARY.split()) for _ in range(100)]
        body.append(Block(f"blk-{i}", f"({i}) " + " ".join(words)[:600] + "."))
    return body


def test_revised_long_article_places_anchors_by_kind_of_edit() -> None:
    rng = random.Random(20240601)
    blocks = long_article(rng)
    anchors = []
    for _ in range(500):
        block = rng.choice(blocks)
        start = rng.randrange(6, len(block.text) - 80)
        anchors.append(
            make_anchor(blocks, block.id, start, start + rng.randint(20, 60))
        )
    edited = list(blocks)
    edited[3] = Block("blk-3", "Correction appended above. " + blocks[3].text)
    edited[9] = Block("blk-9-new", blocks[9].text)
    del edited[20]  # blk-20 deleted
    placements = reanchor_many(anchors, edited)
    assert len(placements) == 500
    for anchor, placement in zip(anchors, placements, strict=True):
        if anchor.block_id == "blk-20":
            continue  # may be orphaned or re-found where its words recur
        new = assert_points_at(placement, edited)
        assert collapse(new.exact) == collapse(anchor.exact)
        if anchor.block_id == "blk-3":
            assert placement.method is Method.CONTEXT
            assert new.start == anchor.start + len("Correction appended above. ")
        elif anchor.block_id == "blk-9":
            assert new.block_id == "blk-9-new"
        else:
            assert placement == Placement(anchor, Method.EXACT, 1.0)
