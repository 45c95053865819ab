"""Ordering imported comments so that every parent comes before its replies (pure)."""

from __future__ import annotations

from collections.abc import Sequence


def _walk(
    start: str,
    children: dict[str, list[str]],
    placed: set[str],
    ordered: list[tuple[str, str]],
) -> None:
    """Append `start` (as top level) and its replies, depth first, in order."""
    stack = [(start, "")]
    while stack:
        key, parent = stack.pop()
        if key in placed:
            continue
        placed.add(key)
        ordered.append((key, parent))
        stack.extend((child, key) for child in reversed(children.get(key, [])))


def parents_first(
    items: Sequence[tuple[str, str]],
) -> tuple[list[tuple[str, str]], list[str]]:
    """(key, parent key) pairs reordered so that parents precede replies.

    A reply whose parent is not among `items`, or that sits in a cycle, comes
    back at the top level (empty parent key), and its key is listed as orphaned.
    Siblings keep their order.
    """
    keys = {key for key, _ in items}
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    orphans: list[str] = []
    for key, parent in items:
        if parent and parent in keys and parent != key:
            children.setdefault(parent, []).append(key)
            continue
        if parent:
            orphans.append(key)
        roots.append(key)
    ordered: list[tuple[str, str]] = []
    placed: set[str] = set()
    for key in roots:
        _walk(key, children, placed, ordered)
    # Whatever is left sits in a cycle: each becomes a top-level comment.
    for key, _ in items:
        if key not in placed:
            orphans.append(key)
            _walk(key, children, placed, ordered)
    return ordered, orphans
