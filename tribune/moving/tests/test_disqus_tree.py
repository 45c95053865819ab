from tribune.moving.disqus.tree import parents_first


def test_replies_come_after_their_parents_whatever_the_file_order():
    ordered, orphans = parents_first([("c", "b"), ("b", "a"), ("a", ""), ("d", "")])
    assert ordered == [("a", ""), ("b", "a"), ("c", "b"), ("d", "")]
    assert orphans == []


def test_siblings_keep_their_order():
    ordered, _ = parents_first([("a", ""), ("x", "a"), ("y", "a"), ("z", "a")])
    assert [key for key, _ in ordered] == ["a", "x", "y", "z"]


def test_reply_to_a_missing_parent_becomes_top_level_and_is_listed():
    ordered, orphans = parents_first([("a", ""), ("b", "gone"), ("c", "b")])
    assert ordered == [("a", ""), ("b", ""), ("c", "b")]
    assert orphans == ["b"]


def test_cycle_is_broken_at_the_first_comment():
    ordered, orphans = parents_first([("a", "b"), ("b", "a"), ("s", "s")])
    assert ordered == [("s", ""), ("a", ""), ("b", "a")]
    assert sorted(orphans) == ["a", "s"]
