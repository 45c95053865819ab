"""Thread tree building: nesting to a depth cap, deleted placeholders, reply counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Node(Generic[T]):
    """One comment in the displayed tree.

    `shown` is False for a comment the reader may not read (deleted, removed,
    someone else's held comment); such a node stays only as a placeholder when
    something below it is shown.  `reply_to` names the parent when the reply sits
    at the depth cap rather than under its parent.
    """

    id: int
    parent_id: int | None
    name: str
    shown: bool
    item: T
    depth: int = 0
    reply_to: str | None = None
    children: list[Node[T]] = field(default_factory=list)
    # Shown comments below this one, at any depth.
    reply_count: int = 0
    # Shown replies left out of `children` (a folded conversation whose replies
    # are loaded when the reader opens it); counted in reply_count.
    unloaded: int = 0


def build(nodes: Iterable[Node[T]], *, max_depth: int = 5) -> list[Node[T]]:
    """Nest `nodes` (given in conversation order) under their parents.

    Roots are nodes whose parent is absent from the input.  Levels run from 0
    (top level) to `max_depth - 1`; a reply to a comment on the last level is
    placed beside it, in order of arrival, with `reply_to` naming the comment it
    answers (as wpDiscuz and Remark42 flatten deep chains).  Hidden nodes without
    shown descendants are dropped.  Preconditions: max_depth >= 2; parents
    precede their replies in the input (ValueError if max_depth is too small).
    """
    if max_depth < 2:
        raise ValueError("max_depth must allow replies (>= 2)")
    by_id: dict[int, Node[T]] = {}
    holder_of: dict[int, Node[T]] = {}
    roots: list[Node[T]] = []
    for node in nodes:
        by_id[node.id] = node
        parent = by_id.get(node.parent_id) if node.parent_id is not None else None
        if parent is None:
            node.depth = 0
            roots.append(node)
            continue
        if parent.depth < max_depth - 1:
            holder = parent
        else:
            holder = holder_of[parent.id]
            node.reply_to = parent.name
        node.depth = holder.depth + 1
        holder.children.append(node)
        holder_of[node.id] = holder
    return [n for n in roots if _prune(n)]


def _prune(node: Node[T]) -> bool:
    """Drop hidden leaves below `node`, count shown replies; True if `node` stays
    (shown, or holding shown replies, loaded or not)."""
    kept = [child for child in node.children if _prune(child)]
    node.children = kept
    node.reply_count = node.unloaded + sum(
        c.reply_count + (1 if c.shown else 0) for c in kept
    )
    return node.shown or bool(kept) or node.unloaded > 0


def walk(nodes: Iterable[Node[T]]) -> Iterable[Node[T]]:
    """Every node of a forest, depth first in display order."""
    for node in nodes:
        yield node
        yield from walk(node.children)


@dataclass
class Row(Generic[T]):
    """One node of a forest in document order, with what to open and close after it.

    After the node's own content: if `has_children`, its reply list opens (inside a
    fold when `folded`); otherwise its item ends, followed by one closing per
    entry of `closes` (an ancestor's reply list, True where that list was folded,
    and the ancestor's item).
    """

    node: Node[T]
    has_children: bool
    folded: bool
    closes: list[bool]


def flatten(roots: Iterable[Node[T]], *, fold_after: int) -> list[Row[T]]:
    """The forest as rows, so a template can render it with one loop.

    A top-level node with more than `fold_after` shown replies gets its replies
    folded.  Precondition: fold_after >= 0.
    """
    rows: list[Row[T]] = []

    def visit(node: Node[T]) -> None:
        folded = node.depth == 0 and node.reply_count > fold_after
        row = Row(node, bool(node.children), folded, [])
        rows.append(row)
        if not node.children:
            return
        for child in node.children:
            visit(child)
        rows[-1].closes.append(folded)

    for root in roots:
        visit(root)
    return rows
