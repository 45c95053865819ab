"""Behaviour of passage anchoring and re-anchoring across article revisions."""

import random
from collections.abc import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tribune.discussion.anchoring import (
    DEFAULT_THRESHOLD,
    Anchor,
    AnchorError,
    Block,
    Method,
    Placement,
    _myers,
    locate_quote,
    make_anchor,
    reanchor,
    reanchor_many,
)

BUDGET = (
    "The council approved the new budget on Tuesday after a long debate about "
    "school funding and road repairs. Several members asked for a public audit."
)
WEATHER = "Forecasters expect heavy rain over the weekend, with flooding possible."
HOUSING = "Rents rose again this year, and the waiting list for social homes grew."


def anchor_on(blocks: list[Block], block_id: str, quote: str, nth: int = 0) -> Anchor:
    """Anchor the nth occurrence of `quote` in a block, as a reader would."""
    text = next(b.text for b in blocks if b.id == block_id)
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return make_anchor(blocks, block_id, start, start + len(quote))


def article() -> list[Block]:
    return [Block("a", WEATHER), Block("b", BUDGET), Block("c", HOUSING)]


def assert_points_at(placement: Placement, blocks: list[Block]) -> Anchor:
    """The placed anchor's fields must agree with the block it names."""
    new = placement.anchor
    assert new is not None
    text = next(b.text for b in blocks if b.id == new.block_id)
    assert text[new.start : new.end] == new.exact
    assert text[: new.start].endswith(new.prefix)
    assert text[new.end :].startswith(new.suffix)
    return new


# make_anchor ------------------------------------------------------------------


def test_make_anchor_records_quote_offsets_and_32_chars_of_context() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget")
    assert anchor.block_id == "b"
    assert anchor.exact == "approved the new budget"
    assert (anchor.start, anchor.end) == (12, 35)
    assert anchor.prefix == "The council "
    assert anchor.suffix == BUDGET[35:67]
    assert len(anchor.suffix) == 32


def test_make_anchor_context_length_is_configurable() -> None:
    anchor = make_anchor(article(), "b", 12, 35, context=5)
    assert (anchor.prefix, anchor.suffix) == ("ncil ", " on T")


def test_make_anchor_trims_whitespace_around_the_selection() -> None:
    anchor = make_anchor(article(), "b", 11, 36)
    assert anchor.exact == "approved the new budget"
    assert (anchor.start, anchor.end) == (12, 35)


@pytest.mark.parametrize(
    ("block_id", "start", "end"),
    [
        ("missing", 0, 3),
        ("b", 5, 5),
        ("b", 6, 5),
        ("b", -1, 3),
        ("b", 0, len(BUDGET) + 1),
        ("b", 3, 4),  # the space between "The" and "council"
    ],
    ids=["unknown-block", "empty", "reversed", "negative", "past-end", "whitespace"],
)
def test_make_anchor_rejects_unusable_selections(
    block_id: str, start: int, end: int
) -> None:
    with pytest.raises(AnchorError):
        make_anchor(article(), block_id, start, end)


def test_make_anchor_rejects_selection_of_only_invisible_characters() -> None:
    blocks = [Block("x", "one\u00a0\u200b\u00ad two")]
    with pytest.raises(AnchorError):
        make_anchor(blocks, "x", 3, 6)


def test_make_anchor_rejects_negative_context() -> None:
    with pytest.raises(AnchorError):
        make_anchor(article(), "b", 0, 3, context=-1)


def test_anchor_error_is_a_value_error() -> None:
    assert issubclass(AnchorError, ValueError)


def test_offsets_count_code_points_with_accents_and_emoji() -> None:
    text = "Café 🙂 déjà vu: naïve 👩‍🔬 scientists"
    blocks = [Block("u", text)]
    start = text.index("déjà")
    anchor = make_anchor(blocks, "u", start, start + len("déjà vu"))
    assert anchor.exact == "déjà vu"
    assert anchor.start == 7  # C a f é space 🙂 space: one code point each
    assert anchor.prefix == "Café 🙂 "


# EXACT --------------------------------------------------------------------------


def test_unchanged_article_gives_exact_with_identical_anchor() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget")
    assert reanchor(anchor, blocks) == Placement(anchor, Method.EXACT, 1.0)


def test_block_moved_to_another_position_is_still_exact() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget")
    moved = [blocks[0], blocks[2], blocks[1]]
    assert reanchor(anchor, moved) == Placement(anchor, Method.EXACT, 1.0)


def test_insertion_after_the_context_keeps_exact_anchor() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget")
    edited = [blocks[0], Block("b", BUDGET + " The vote was 7-2."), blocks[2]]
    assert reanchor(anchor, edited) == Placement(anchor, Method.EXACT, 1.0)


def test_insertion_right_after_quote_is_exact_with_refreshed_suffix() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget")
    text = BUDGET.replace("budget on", "budget, 12 million euros, on")
    placement = reanchor(anchor, [Block("b", text)])
    assert placement.method is Method.EXACT
    new = assert_points_at(placement, [Block("b", text)])
    assert (new.start, new.end, new.exact) == (anchor.start, anchor.end, anchor.exact)
    assert new.suffix.startswith(", 12 million")


# CONTEXT ------------------------------------------------------------------------


def test_insertion_before_quote_shifts_offsets() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget")
    text = "After months of delay, " + BUDGET
    placement = reanchor(anchor, [blocks[0], Block("b", text), blocks[2]])
    assert placement.method is Method.CONTEXT
    assert placement.score == 1.0
    new = assert_points_at(placement, [Block("b", text)])
    assert new.exact == anchor.exact
    assert new.start == anchor.start + len("After months of delay, ")


def test_deletion_before_quote_shifts_offsets_back() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "school funding")
    text = BUDGET.replace(" after a long debate about", " about")
    placement = reanchor(anchor, [Block("b", text)])
    assert placement.method is Method.CONTEXT
    new = assert_points_at(placement, [Block("b", text)])
    assert new.start == anchor.start - len(" after a long debate")


def test_repeated_quote_in_same_block_context_picks_the_right_one() -> None:
    text = (
        "The mayor said no to the stadium. The council said yes to the stadium "
        "plan. The mayor said no to the tram."
    )
    blocks = [Block("p", text)]
    anchor = anchor_on(blocks, "p", "The mayor said no", nth=1)
    edited = [Block("p", "Update: " + text.replace("to the tram", "to the new tram"))]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.CONTEXT
    new = assert_points_at(placement, edited)
    assert new.start == edited[0].text.rindex("The mayor said no")
    assert new.suffix.startswith(" to the new tram")


def test_repeated_quote_with_equal_context_goes_to_nearest_occurrence() -> None:
    text = "ha ha ha ha ha ha"
    anchor = make_anchor([Block("p", text)], "p", 6, 8, context=2)
    edited = Block("p", "o" + text)
    placement = reanchor(anchor, [edited])
    new = assert_points_at(placement, [edited])
    assert new.start == 7  # not 4: both are "ha" between "a " and " h"


def test_repeated_quote_in_another_block_context_picks_the_right_one() -> None:
    quote = "the waiting list for social homes"
    decoy = "Last year the waiting list for social homes was shorter, officials say."
    blocks = [Block("d", decoy), *article()]
    anchor = anchor_on(blocks, "c", quote)
    # The housing paragraph is re-created by the editor: new block id.
    edited = [Block("d", decoy), blocks[1], blocks[2], Block("c2", HOUSING)]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.CONTEXT
    new = assert_points_at(placement, edited)
    assert (new.block_id, new.start) == ("c2", anchor.start)


def test_paragraph_split_in_two_finds_quote_in_the_new_block() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "asked for a public audit")
    first, second = BUDGET.split(" Several ")
    edited = [blocks[0], Block("b", first), Block("b-2", "Several " + second)]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.CONTEXT
    new = assert_points_at(placement, edited)
    assert new.block_id == "b-2"
    assert new.exact == "asked for a public audit"
    assert new.start == len("Several members ")


def test_paragraph_split_with_the_quote_repeated_nearby_prefers_context() -> None:
    decoy = "Residents asked for a public audit of the tram works, too."
    blocks = [Block("z", decoy), *article()]
    anchor = anchor_on(blocks, "b", "asked for a public audit")
    first, second = BUDGET.split(" Several ")
    edited = [Block("z", decoy), Block("b", first), Block("n", "Several " + second)]
    new = assert_points_at(reanchor(anchor, edited), edited)
    assert new.block_id == "n"


def test_paragraphs_merged_finds_quote_in_the_merged_block() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "c", "waiting list for social homes")
    edited = [blocks[0], Block("b", BUDGET + " " + HOUSING)]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.CONTEXT
    new = assert_points_at(placement, edited)
    assert new.block_id == "b"
    assert new.start == len(BUDGET) + 1 + anchor.start


def test_block_id_changed_but_text_same_keeps_offsets() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget")
    edited = [blocks[0], Block("b-new", BUDGET), blocks[2]]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.CONTEXT
    assert placement.anchor == Anchor(
        "b-new", anchor.exact, anchor.prefix, anchor.suffix, anchor.start, anchor.end
    )


def test_block_moved_and_renamed_is_found_far_away() -> None:
    filler = [Block(f"f{i}", f"Filler paragraph number {i}.") for i in range(8)]
    blocks = [Block("b", BUDGET), *filler]
    anchor = anchor_on(blocks, "b", "approved the new budget")
    edited = [*filler, Block("moved", BUDGET)]
    new = assert_points_at(reanchor(anchor, edited), edited)
    assert (new.block_id, new.start) == ("moved", anchor.start)


def test_short_quote_is_not_reattached_elsewhere_without_matching_context() -> None:
    blocks = [Block("a", "Voters in the north went to the polls."), Block("b", BUDGET)]
    anchor = anchor_on(blocks, "a", "the polls")
    edited = [Block("a", "Voters in the north stayed home."), Block("b", BUDGET)]
    assert "the" in BUDGET
    assert reanchor(anchor, edited) == Placement(None, Method.ORPHANED, 0.0)


def test_short_quote_follows_its_context_rather_than_a_chance_repeat() -> None:
    text = "At the council, they voted. Later the council met again in private."
    blocks = [Block("m", text)]
    anchor = anchor_on(blocks, "m", "the council", nth=1)
    second = text.split(" Later ")[1]
    edited = [
        Block("m", "At the council, they argued."),
        Block("m2", "Later " + second),
    ]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.CONTEXT
    assert assert_points_at(placement, edited).block_id == "m2"


def test_short_quote_stays_in_its_block_when_nothing_better_exists() -> None:
    text = "At the council, they voted. Later the council met again in private."
    blocks = [Block("m", text)]
    anchor = anchor_on(blocks, "m", "the council", nth=1)
    edited = [Block("m", "At the council, they argued about everything else.")]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.CONTEXT
    assert assert_points_at(placement, edited).start == 3


# Whitespace and typography --------------------------------------------------------


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace("the new budget", "the  new\u00a0budget"),
        lambda t: t.replace("the new budget", "the\nnew budget"),
        lambda t: t.replace("new budget", "new bud\u00adget"),
        lambda t: "   " + t.replace("  ", " "),
    ],
    ids=["nbsp-and-double-space", "newline", "soft-hyphen", "leading-spaces"],
)
def test_whitespace_changes_do_not_break_the_match(edit: Callable[[str], str]) -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget")
    edited = [Block("b", edit(BUDGET))]
    placement = reanchor(anchor, edited)
    assert placement.method in (Method.EXACT, Method.CONTEXT)
    assert placement.score == 1.0
    new = assert_points_at(placement, edited)
    assert " ".join(new.exact.replace("\u00ad", "").split()) == anchor.exact


def test_collapsed_whitespace_maps_offsets_back_to_the_original_text() -> None:
    text = "Tax  rates\u00a0\u00a0will rise by two points next year, the minister said."
    blocks = [Block("t", text)]
    anchor = anchor_on(blocks, "t", "rise by two points")
    edited = [Block("t", "Breaking: " + text.replace("  ", " "))]
    new = assert_points_at(reanchor(anchor, edited), edited)
    assert new.exact == "rise by two points"


def test_curly_quotes_replacing_straight_quotes_still_match() -> None:
    text = 'The minister said "we will not back down" at the rally.'
    blocks = [Block("q", text)]
    anchor = anchor_on(blocks, "q", '"we will not back down"')
    edited = [
        Block("q", text.replace('"we', "\u201cwe").replace('down"', "down\u201d"))
    ]
    placement = reanchor(anchor, edited)
    assert placement.method in (Method.EXACT, Method.CONTEXT)
    assert (
        assert_points_at(placement, edited).exact == "\u201cwe will not back down\u201d"
    )


def test_emoji_inserted_before_quote_shifts_offsets_by_code_points() -> None:
    text = "Café owners in Lyon said déjà vu as prices rose again."
    blocks = [Block("u", text)]
    anchor = anchor_on(blocks, "u", "déjà vu")
    edited = [Block("u", "👩‍🔬 " + text)]
    placement = reanchor(anchor, edited)
    new = assert_points_at(placement, edited)
    assert new.exact == "déjà vu"
    assert new.start == anchor.start + 4  # woman, ZWJ, microscope, space


# FUZZY ----------------------------------------------------------------------------


def test_typo_fixed_inside_quote_is_fuzzy() -> None:
    text = "Yesterday the goverment announced a freeze on energy prices until May."
    blocks = [Block("t", text)]
    anchor = anchor_on(blocks, "t", "the goverment announced a freeze")
    edited = [Block("t", text.replace("goverment", "government"))]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.FUZZY
    assert DEFAULT_THRESHOLD <= placement.score < 1.0
    assert assert_points_at(placement, edited).exact == (
        "the government announced a freeze"
    )


def test_word_changed_inside_quote_is_fuzzy() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget on Tuesday")
    edited = [blocks[0], Block("b", BUDGET.replace("new budget", "revised budget"))]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.FUZZY
    new = assert_points_at(placement, edited)
    assert new.exact == "approved the revised budget on Tuesday"
    assert new.block_id == "b"


def test_small_insertion_inside_quote_is_fuzzy() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget on Tuesday")
    edited = [Block("b", BUDGET.replace("budget on", "budget late on"))]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.FUZZY
    assert assert_points_at(placement, edited).exact == (
        "approved the new budget late on Tuesday"
    )


def test_large_insertion_inside_quote_orphans_it() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget on Tuesday")
    clause = "budget, which opposition members called reckless and unfunded, on"
    edited = [Block("b", BUDGET.replace("budget on", clause))]
    assert reanchor(anchor, edited).method is Method.ORPHANED


def test_fuzzy_match_is_widened_to_whole_words() -> None:
    text = "Officials confirmed that the bridge will reopen in spring next year."
    blocks = [Block("w", text)]
    anchor = anchor_on(blocks, "w", "the bridge will reopen in spring")
    edited = [Block("w", text.replace("reopen in spring", "reopening in springtime"))]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.FUZZY
    new = assert_points_at(placement, edited)
    assert new.exact == "the bridge will reopening in springtime"


def test_fuzzy_match_keeps_a_mid_word_selection_mid_word() -> None:
    text = "Officials confirmed that the bridge will reopen in spring next year."
    blocks = [Block("w", text)]
    anchor = anchor_on(blocks, "w", "ridge will reopen in spr")
    edited = [Block("w", text.replace("will reopen", "shall reopen"))]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.FUZZY
    assert assert_points_at(placement, edited).exact == "ridge shall reopen in spr"


def test_lightly_rewritten_quote_in_a_split_off_block_is_fuzzy() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "Several members asked for a public audit")
    first, second = BUDGET.split(" Several ")
    second = "Several " + second.replace("asked for", "demanded")
    assert second == "Several members demanded a public audit."
    edited = [blocks[0], Block("b", first), Block("b2", second)]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.FUZZY
    assert assert_points_at(placement, edited).block_id == "b2"


def test_fuzzy_search_is_limited_to_the_radius() -> None:
    filler = [Block(f"f{i}", f"Unrelated paragraph {i}.") for i in range(3)]
    blocks = [Block("b", BUDGET), *filler, Block("far", "Nothing here.")]
    anchor = anchor_on(blocks, "b", "approved the new budget on Tuesday")
    moved = Block("far", BUDGET.replace("new budget", "revised budget"))
    edited = [Block("b", "The item was moved below."), *filler, moved]
    assert reanchor(anchor, edited).method is Method.ORPHANED
    assert reanchor(anchor, edited, radius=4).method is Method.FUZZY


def test_stricter_threshold_orphans_a_light_rewrite() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget on Tuesday")
    edited = [Block("b", BUDGET.replace("new budget", "revised budget"))]
    assert reanchor(anchor, edited, threshold=0.95).method is Method.ORPHANED


def test_renamed_block_with_light_rewrite_is_found_through_its_context() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "after a long debate about school funding")
    text = BUDGET.replace("long debate", "lengthy debate")
    edited = [blocks[0], Block("b-new", text), blocks[2]]
    placement = reanchor(anchor, edited)
    assert placement.method is Method.FUZZY
    assert assert_points_at(placement, edited).block_id == "b-new"


# ORPHANED -------------------------------------------------------------------------


def test_completely_rewritten_passage_is_orphaned() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget on Tuesday")
    text = BUDGET.replace(
        "approved the new budget on Tuesday", "postponed every decision until autumn"
    )
    assert reanchor(anchor, [Block("b", text)]) == Placement(None, Method.ORPHANED, 0.0)


def test_deleted_passage_is_orphaned() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "Several members asked for a public audit.")
    edited = [blocks[0], Block("b", BUDGET.split(" Several")[0]), blocks[2]]
    assert reanchor(anchor, edited).method is Method.ORPHANED


def test_deleted_block_is_orphaned() -> None:
    blocks = article()
    anchor = anchor_on(blocks, "b", "approved the new budget")
    assert reanchor(anchor, [blocks[0], blocks[2]]).method is Method.ORPHANED


def test_empty_article_orphans_everything() -> None:
    anchor = anchor_on(article(), "a", "heavy rain")
    assert reanchor(anchor, []).method is Method.ORPHANED


# locate_quote ---------------------------------------------------------------------


def test_locate_quote_finds_offsets_for_a_browser_selection() -> None:
    blocks = article()
    found = locate_quote(blocks, "b", "approved the new budget", "The council ")
    assert found == anchor_on(blocks, "b", "approved the new budget")


def test_locate_quote_uses_context_to_pick_among_repeats() -> None:
    text = "Yes, he said. Then no. Then yes, he said again."
    blocks = [Block("r", text)]
    found = locate_quote(blocks, "r", "he said", prefix="Then yes, ", suffix=" again")
    assert found is not None
    assert found.start == text.rindex("he said")


def test_locate_quote_tolerates_whitespace_from_the_dom() -> None:
    blocks = [Block("n", "Prices\u00a0rose by 3\u00a0%  in March.")]
    found = locate_quote(blocks, "n", "rose by 3 % in March")
    assert found is not None
    assert found.exact == "rose by 3\u00a0%  in March"


def test_locate_quote_returns_none_when_quote_is_absent() -> None:
    assert locate_quote(article(), "b", "approved the old budget") is None


def test_locate_quote_does_not_fuzzy_match() -> None:
    assert locate_quote(article(), "b", "aproved the new budget") is None


def test_locate_quote_with_stale_block_id_searches_other_blocks() -> None:
    found = locate_quote(article(), "gone", "waiting list for social homes")
    assert found is not None
    assert found.block_id == "c"


def test_locate_quote_rejects_a_blank_quote() -> None:
    with pytest.raises(AnchorError):
        locate_quote(article(), "b", " \u00a0 ")


# reanchor_many --------------------------------------------------------------------


def test_reanchor_many_matches_reanchor_one_by_one_in_order() -> None:
    blocks = article()
    anchors = [
        anchor_on(blocks, "a", "heavy rain"),
        anchor_on(blocks, "b", "approved the new budget on Tuesday"),
        anchor_on(blocks, "c", "waiting list for social homes"),
    ]
    edited = [
        Block("a", "UPDATE: " + WEATHER),
        Block("b", BUDGET.replace("new", "revised")),
    ]
    placements = reanchor_many(anchors, edited)
    assert placements == [reanchor(a, edited) for a in anchors]
    assert [p.method for p in placements] == [
        Method.CONTEXT,
        Method.FUZZY,
        Method.ORPHANED,
    ]


def test_reanchor_many_passes_options_through() -> None:
    blocks = article()
    anchors = [anchor_on(blocks, "b", "approved the new budget on Tuesday")]
    edited = [Block("b", BUDGET.replace("new budget", "revised budget"))]
    assert reanchor_many(anchors, edited, threshold=0.95)[0].method is Method.ORPHANED


@pytest.mark.parametrize(("radius", "threshold"), [(-1, 0.75), (2, 0.0), (2, 1.5)])
def test_reanchor_rejects_out_of_range_options(radius: int, threshold: float) -> None:
    anchor = anchor_on(article(), "a", "heavy rain")
    with pytest.raises(ValueError, match="radius"):
        reanchor(anchor, article(), radius=radius, threshold=threshold)
    with pytest.raises(ValueError, match="radius"):
        reanchor_many([anchor], article(), radius=radius, threshold=threshold)


def test_method_values_are_the_stored_strings() -> None:
    assert [str(m) for m in Method] == ["exact", "context", "fuzzy", "orphaned"]


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
