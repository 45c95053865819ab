from tribune.discussion import tree
from tribune.discussion.tree import Node


def n(id, parent=None, shown=True, name=None):
    return Node(id=id, parent_id=parent, name=name or f"P{id}", shown=shown, item=id)


def shape(nodes):
    return [(x.id, x.depth, x.reply_to, shape(x.children)) for x in nodes]


def test_replies_nest_under_their_parents_in_order():
    roots = tree.build([n(1), n(2, 1), n(3), n(4, 2), n(5, 1)])
    assert shape(roots) == [
        (1, 0, None, [(2, 1, None, [(4, 2, None, [])]), (5, 1, None, [])]),
        (3, 0, None, []),
    ]


def test_replies_beyond_the_cap_attach_at_the_deepest_level_with_reply_to():
    chain = [n(1)] + [n(i, i - 1) for i in range(2, 9)]
    roots = tree.build(chain, max_depth=3)
    # 1 (0) > 2 (1) > 3 (2), then 4.. sit beside 3 at depth 2
    level2 = roots[0].children[0].children
    assert [(x.id, x.depth, x.reply_to) for x in level2] == [
        (3, 2, None),
        (4, 2, "P3"),
        (5, 2, "P4"),
        (6, 2, "P5"),
        (7, 2, "P6"),
        (8, 2, "P7"),
    ]


def test_default_cap_is_five_levels():
    chain = [n(1)] + [n(i, i - 1) for i in range(2, 12)]
    depths = [x.depth for x in tree.walk(tree.build(chain))]
    assert max(depths) == 4


def test_hidden_leaf_disappears_but_hidden_parent_of_shown_reply_stays():
    roots = tree.build([n(1, shown=False), n(2, 1), n(3, shown=False), n(4, 3, False)])
    assert [x.id for x in roots] == [1]
    assert not roots[0].shown
    assert [c.id for c in roots[0].children] == [2]


def test_reply_count_counts_shown_descendants_at_every_depth():
    roots = tree.build([n(1), n(2, 1), n(3, 2), n(4, 3, shown=False), n(5, 4), n(6)])
    assert roots[0].reply_count == 3  # 2, 3 and 5
    assert roots[1].reply_count == 0


def test_reply_whose_parent_is_missing_becomes_a_root():
    roots = tree.build([n(2, 99), n(3, 2)])
    assert shape(roots) == [(2, 0, None, [(3, 1, None, [])])]


def test_cap_below_two_is_refused():
    import pytest

    with pytest.raises(ValueError):
        tree.build([n(1)], max_depth=1)


def render(rows):
    """Serialise rows the way templates/discussion/rows.html does."""
    out = []
    for row in rows:
        out.append(f"<{row.node.id}>")
        if row.has_children:
            out.append("[F" if row.folded else "[")
        else:
            out.append(f"</{row.node.id}>")
            for folded in row.closes:
                out.append("F]" if folded else "]")
                out.append("</>")
    return "".join(out)


def test_flatten_opens_and_closes_like_the_nested_tree():
    roots = tree.build([n(1), n(2, 1), n(3, 2), n(4, 1), n(5), n(6, 5)])
    html = render(tree.flatten(roots, fold_after=5))
    assert html == "<1>[<2>[<3></3>]</><4></4>]</><5>[<6></6>]</>"


def test_flatten_folds_top_level_replies_beyond_the_limit():
    roots = tree.build([n(1), n(2, 1), n(3, 1), n(4, 3), n(5)])
    rows = tree.flatten(roots, fold_after=2)
    assert [r.folded for r in rows] == [True, False, False, False, False]
    assert render(rows) == "<1>[F<2></2><3>[<4></4>]</>F]</><5></5>"


def test_flatten_of_nothing_is_empty():
    assert tree.flatten([], fold_after=3) == []
