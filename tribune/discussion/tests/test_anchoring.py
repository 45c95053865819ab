"""Behaviour of passage anchoring and re-anchoring across article revisions."""

from collections.abc import Callable

import pytest

from tribune.discussion.anchoring import (
    Anchor,
    AnchorError,
    Block,
    Method,
    Placement,
    make_anchor,
    reanchor,
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
