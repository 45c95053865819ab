"""Rendered comment boxes, cached per comment version for readers with no stake in them.

A comment's box (author, time, text, votes, links) looks the same to every reader
who neither wrote it nor voted on it, so it is rendered once per version of the
comment and kept in the cache; the reader's own comments and votes are rendered
fresh.  A cached copy is kept split where the CSRF token goes, and the reader's
token (a page-cache hole) is put between the parts for each response.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from hashlib import blake2b
from typing import Protocol, TypeVar

from django.core.cache import caches
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from tribune.core import pagecache
from tribune.discussion import tree
from tribune.discussion.models import Comment

TEMPLATE = "discussion/comment_box.html"


class Shown(Protocol):
    """What a box needs of a displayed comment (presenters.CommentView)."""

    comment: Comment
    my_vote: int
    is_mine: bool
    box_html: SafeString
    badge: str


V = TypeVar("V", bound=Shown)

# Where the token goes while a shared box is rendered: made afresh by each process
# so that no comment text can contain it, and gone once the box is split there.
_CSRF_MARK = "discussion-csrf-" + secrets.token_hex(16)
# A version is never reused, so an entry only needs to outlive its popularity.
TIMEOUT = 24 * 3600


def _key(node: tree.Node[V], state: str) -> str:
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
        f"discussion:box:{get_language()}:{state}:{c.pk}:{c.status}:"
        f"{c.score}:{edited}:{int(node.shown)}:{digest.hexdigest()}"
    )


def _personal(node: tree.Node[V], focus: int | None) -> bool:
    view = node.item
    return view.is_mine or bool(view.my_vote) or node.id == focus


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
) -> None:
    """Set `box_html` on each node's CommentView, from the cache where it can be
    shared.

    Precondition: the views come from presenters.present (per-reader flags).
    Side effect: renders and stores the boxes that were missing.
    """
    template = get_template(TEMPLATE)
    # Asked for only where a box has a form: a token also means a Set-Cookie.
    token = SimpleLazyObject(lambda: pagecache.hole(request, "csrf"))
    shared: dict[str, list[tree.Node[V]]] = {}
    for node in nodes:
        if _personal(node, focus):
            html = template.render(_context(node, token))
            node.item.box_html = mark_safe(html)  # noqa: S308
        else:
            shared.setdefault(_key(node, state), []).append(node)
    if not shared:
        return
    cache = caches["local"]  # per process: keys carry the comment's version
    found = cache.get_many(list(shared))
    missing: dict[str, list[str]] = {}
    for key, group in shared.items():
        parts: list[str] | None = found.get(key)
        if parts is None:
            first = group[0]
            parts = template.render(_context(first, _CSRF_MARK)).split(_CSRF_MARK)
            missing[key] = parts
        # The parts came from our template, with user text escaped there.
        filled = mark_safe(str(token).join(parts) if len(parts) > 1 else parts[0])  # noqa: S308
        for node in group:
            node.item.box_html = filled
    if missing:
        cache.set_many(missing, TIMEOUT)
