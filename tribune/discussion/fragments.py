"""Rendered comment boxes and rows, cached per comment version for readers with no
stake in them.

A comment's box (author, time, text, votes, links) looks the same to every reader
who neither wrote it nor voted on it, so it is rendered once per version of the
comment and kept in the cache; the reader's own comments and votes are rendered
fresh.  A row (the box in its list item, with the reply list it opens or the
lists it closes) is kept the same way, keyed by the box's key and the row's
shape.  A cached copy is kept split where the CSRF token goes, and the reader's
token (a page-cache hole) is put between the parts for each response
(docs/decisions/0032-comment-rows-kept.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from hashlib import blake2b
from typing import Protocol, TypeVar

from django.core.cache import caches
from django.http import HttpRequest
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from tribune.core import pagecache
from tribune.discussion import tree
from tribune.discussion.models import Comment

TEMPLATE = "discussion/comment_box.html"
ROW_TEMPLATE = "discussion/row.html"


class Shown(Protocol):
    """What a box needs of a displayed comment (presenters.CommentView)."""

    comment: Comment
    my_vote: int
    is_mine: bool
    holds_focus: bool
    box_html: SafeString
    badge: str


V = TypeVar("V", bound=Shown)

# Where the token goes while a shared box is rendered: made afresh by each process
# so that no comment text can contain it, and gone once the box is split there.
_CSRF_MARK = "discussion-csrf-" + secrets.token_hex(16)
# A version is never reused, so an entry only needs to outlive its popularity.
TIMEOUT = 24 * 3600


def _scope(state: str) -> str:
    """What every box of one render shares in its key: language, thread state and
    the script prefix the addresses start from (looked up once, not per box)."""
    return f"{get_language()}:{state}:{get_script_prefix()}"


def _key(node: tree.Node[V], scope: str, kind: str = "box") -> str:
    c = node.item.comment
    edited = c.edited_at.timestamp() if c.edited_at else 0
    digest = blake2b(digest_size=12)
    parts = (c.body_html, c.author_name, c.author_website, node.reply_to or "")
    # Inline feedback shows its quote and whether it is still anchored; the
    # author's badge comes and goes with the ledger, not with the comment.
    quote = (c.passage_state, c.passage_block, c.passage_exact, node.item.badge)
    for part in (*parts, *quote):
        digest.update(part.encode())
        digest.update(b"\0")
    return (
        f"discussion:{kind}:{scope}:{c.pk}:{c.status}:"
        f"{c.score}:{edited}:{int(node.shown)}:{digest.hexdigest()}"
    )


def _personal(node: tree.Node[V], focus: int | None) -> bool:
    view = node.item
    return view.is_mine or bool(view.my_vote) or node.id == focus


def _row_key(row: tree.Row[V], scope: str) -> str:
    """The box's key and everything else the row shows: its shape, the fold's
    reply count and the hold's reason (for the held mark)."""
    node = row.node
    closes = "".join("f" if folded else "o" for folded in row.closes)
    shape = f"{int(row.has_children)}{int(row.folded)}{closes}"
    held = node.item.comment.held_reason
    return f"{_key(node, scope, 'row')}:{shape}:{node.reply_count}:{held}"


def _row_personal(row: tree.Row[V], focus: int | None) -> bool:
    # holds_focus opens the fold of a permalinked conversation for this request.
    return _personal(row.node, focus) or row.node.item.holds_focus


def _context(node: tree.Node[V], token: object) -> dict[str, object]:
    return {
        "node": node,
        "c": node.item.comment,
        "view": node.item,
        "csrf_token": token,
    }


def render_boxes(
    nodes: Iterable[tree.Node[V]],
    *,
    state: str,
    request: HttpRequest | None,
    focus: int | None = None,
    token: object | None = None,
) -> None:
    """Set `box_html` on each node's CommentView, from the cache where it can be
    shared.

    `token` stands where the CSRF token goes (render_rows passes its mark);
    without it, the reader's token. Precondition: the views come from
    presenters.present (per-reader flags). Side effect: renders and stores the
    boxes that were missing.
    """
    template = get_template(TEMPLATE)
    if token is None:
        # Asked for only where a box has a form: a token also means a Set-Cookie.
        token = SimpleLazyObject(lambda: pagecache.hole(request, "csrf"))
    shared: dict[str, list[tree.Node[V]]] = {}
    scope = _scope(state)
    for node in nodes:
        if _personal(node, focus):
            html = template.render(_context(node, token))
            node.item.box_html = mark_safe(html)  # noqa: S308
        else:
            shared.setdefault(_key(node, scope), []).append(node)
    if not shared:
        return
    cache = caches["local"]  # per process: keys carry the comment's version
    found = cache.get_many(list(shared))
    missing: dict[str, tuple[str, ...]] = {}
    for key, group in shared.items():
        parts: tuple[str, ...] | None = found.get(key)
        if parts is None:
            first = group[0]
            parts = tuple(
                template.render(_context(first, _CSRF_MARK)).split(_CSRF_MARK)
            )
            missing[key] = parts
        filled = _join(parts, token)
        for node in group:
            node.item.box_html = filled
    if missing:
        cache.set_many(missing, TIMEOUT)


def _join(parts: tuple[str, ...], token: object) -> SafeString:
    # The parts came from our templates, with user text escaped there.
    return mark_safe(str(token).join(parts) if len(parts) > 1 else parts[0])  # noqa: S308


def render_rows(
    rows: list[tree.Row[V]],
    *,
    state: str,
    request: HttpRequest | None,
    focus: int | None = None,
) -> SafeString:
    """The rows as `discussion/rows.html` renders them, each from the cache where
    it can be shared.

    Precondition: the views come from presenters.present (per-reader flags).
    Side effect: renders and stores the rows that were missing (their boxes
    through render_boxes' cache); the reader's own rows are rendered fresh.
    """
    template = get_template(ROW_TEMPLATE)
    token = SimpleLazyObject(lambda: pagecache.hole(request, "csrf"))
    scope = _scope(state)
    keys = {
        i: _row_key(row, scope)
        for i, row in enumerate(rows)
        if not _row_personal(row, focus)
    }
    cache = caches["local"]  # per process: keys carry the comment's version
    found: dict[str, tuple[str, ...]] = cache.get_many(list(set(keys.values())))
    fresh = [r.node for i, r in enumerate(rows) if keys.get(i) not in found]
    render_boxes(fresh, state=state, request=None, focus=focus, token=_CSRF_MARK)
    missing: dict[str, tuple[str, ...]] = {}
    out: list[str] = []
    for i, row in enumerate(rows):
        key = keys.get(i)
        parts = found.get(key) if key else None
        if parts is None:
            context = {"row": row, "node": row.node, "focus": focus}
            parts = tuple(template.render(context).split(_CSRF_MARK))
            if key:
                found[key] = missing[key] = parts
        out.append(_join(parts, token))
    if missing:
        cache.set_many(missing, TIMEOUT)
    return mark_safe("".join(out))  # noqa: S308  # joined escaped renders
