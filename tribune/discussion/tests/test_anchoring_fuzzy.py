"""Re-anchoring when the quote itself changed (fuzzy) or is gone (orphaned); locating a
browser's quote; re-anchoring many at once."""

import pytest

from tribune.discussion.anchoring import (
    DEFAULT_THRESHOLD,
    AnchorError,
    Block,
    Method,
    Placement,
    locate_quote,
    reanchor,
    reanchor_many,
)
from tribune.discussion.tests.test_anchoring import (
    BUDGET,
    WEATHER,
    anchor_on,
    article,
    assert_points_at,
)

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
