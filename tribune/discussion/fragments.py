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

import dataclasses
import html as html_module
import re
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Protocol, TypeVar

from django.core.cache import caches
from django.http import HttpRequest
from django.template.defaultfilters import date as date_filter
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from tribune.core import pagecache
from tribune.discussion import box_times, tree
from tribune.discussion.models import Comment

TEMPLATE = "discussion/comment_box.html"
ROW_TEMPLATE = "discussion/row.html"


class Shown(Protocol):
    """What a box needs of a displayed comment (comment_views.CommentView)."""

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


class _Scope:
    """What every box of one render shares, looked up once, not per box: its
    language; in its key the language, thread state and the script prefix the
    addresses start from; the per-process cache (keys carry the comment's
    version)."""

    __slots__ = ("cache", "key", "language")

    def __init__(self, state: str) -> None:
        self.language = get_language()
        self.key = f"{self.language}:{state}:{get_script_prefix()}"
        self.cache = caches["local"]


class _Token:
    """The reader's CSRF token (a page-cache hole), asked for on first use: a
    box without a form needs none, and a token also means a Set-Cookie. As
    SimpleLazyObject(lambda: pagecache.hole(request, "csrf")) for str() and
    truth, without its proxy's cost (about 20 calls per render)."""

    __slots__ = ("_request", "_value")

    def __init__(self, request: HttpRequest | None) -> None:
        self._request = request
        self._value: str | None = None

    def __str__(self) -> str:
        value = self._value
        if value is None:
            value = self._value = pagecache.hole(self._request, "csrf")
        return value

    def __bool__(self) -> bool:
        return bool(str(self))


def _key(node: tree.Node[V], scope: _Scope, kind: str = "box") -> str:
    c = node.item.comment
    edited = c.edited_at.timestamp() if c.edited_at else 0
    # The shown texts' own hash tells their versions apart: the key never
    # leaves this process (scope.cache is its memory), and Python's str hash
    # is keyed afresh by each process, so no text can be made to match
    # another's. Inline feedback shows its quote and whether it is still
    # anchored; the author's badge comes and goes with the ledger.
    shown = (c.body_html, c.author_name, c.author_website, node.reply_to or "")
    quote = (c.passage_state, c.passage_block, c.passage_exact, node.item.badge)
    digest = hash((*shown, *quote))
    return (
        f"discussion:{kind}:{scope.key}:{c.pk}:{c.status}:"
        f"{c.score}:{edited}:{int(node.shown)}:{digest:x}"
    )


def _personal(node: tree.Node[V], focus: int | None) -> bool:
    view = node.item
    return view.is_mine or bool(view.my_vote) or node.id == focus


def _row_key(row: tree.Row[V], scope: _Scope) -> str:
    """The box's key and everything else the row shows: its shape (with the
    link to replies not loaded), the fold's reply count and the hold's reason
    (for the held mark)."""
    node = row.node
    closes = "".join("f" if folded else "o" for folded in row.closes)
    shape = (
        f"{int(row.has_children)}{int(row.folded)}{int(bool(node.unloaded))}{closes}"
    )
    held = node.item.comment.held_reason
    return f"{_key(node, scope, 'row')}:{shape}:{node.reply_count}:{held}"


def _row_personal(row: tree.Row[V], focus: int | None) -> bool:
    # holds_focus opens the fold of a permalinked conversation for this request.
    return _personal(row.node, focus) or row.node.item.holds_focus


# A personal box (the reader's own comment, one they voted on) is rendered once
# per shape with stand-ins for the comment's values, then filled for each
# comment (decision 0037). Stand-ins are made afresh by each process and no
# comment text is ever searched for them: the stand-in box holds none.
_STAND_IN = "discussion-" + secrets.token_hex(12) + "-"
_STAND_INS = {
    "name": _STAND_IN + "name",
    "website": _STAND_IN + "website",
    "body": _STAND_IN + "body",
    "reply_to": _STAND_IN + "reply-to",
    "score": _STAND_IN + "score",
    "token": _CSRF_MARK,
}
# An id no comment reaches (comment_action needs an integer), and a time whose
# renderings stand for the comment's own.
_STAND_IN_PK = 2_147_483_611
_STAND_IN_TIME = datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC)
# The box's two renderings of the comment's time (comment_box.html).
_TIME_FORMATS = ("Y-m-d\\TH:i:sO", "j M Y, H:i")


def _fillable(node: tree.Node[V]) -> bool:
    # An inline comment's quote and a placeholder are rare: rendered in full.
    return node.shown and not node.item.comment.passage_state


def _shape(node: tree.Node[V]) -> tuple[object, ...]:
    """Everything that changes the box's markup apart from the stand-in values."""
    view, c = node.item, node.item.comment
    return (
        bool(c.author_website),
        node.reply_to is not None,
        c.edited_at is not None,
        c.status,
        c.held_reason,
        c.parent_id is not None,
        view.badge,
        view.my_vote,
        getattr(view, "may_vote", False),
        getattr(view, "may_reply", False),
        getattr(view, "may_edit", False),
        view.is_mine,
    )


def _stand_in(node: tree.Node[V]) -> tree.Node[V]:
    """The node with stand-ins for every value the box prints."""
    c = node.item.comment
    model = type(c)
    fake = model(
        pk=_STAND_IN_PK,
        author_name=_STAND_INS["name"],
        author_website=_STAND_INS["website"] if c.author_website else "",
        body_html=_STAND_INS["body"],
        created_at=_STAND_IN_TIME,
        edited_at=c.edited_at,
        status=c.status,
        held_reason=c.held_reason,
        parent_id=c.parent_id,
        passage_state="",
    )
    fake.score = _STAND_INS["score"]
    view = dataclasses.replace(node.item, comment=fake)  # type: ignore[type-var]
    reply_to = _STAND_INS["reply_to"] if node.reply_to is not None else None
    return tree.Node(_STAND_IN_PK, c.parent_id, "", True, view, reply_to=reply_to)


def _pieces(
    node: tree.Node[V], zone: tzinfo, language: str
) -> tuple[tuple[str, str], ...] | None:
    """The stand-in box cut into (text, stand-in name) pairs; None when the
    template printed a value in a way the cut cannot find."""
    template = get_template(TEMPLATE)
    html = template.render(_context(_stand_in(node), _CSRF_MARK))
    names = {v: k for k, v in _STAND_INS.items()}
    local = timezone.localtime(_STAND_IN_TIME, zone)
    times = [date_filter(local, f) for f in _TIME_FORMATS]
    if times != box_times.written(_STAND_IN_TIME, zone, language):
        return None
    for i, text in enumerate(times):
        names[text] = f"time{i}"
    names[str(_STAND_IN_PK)] = "pk"
    found = re.split("(" + "|".join(map(re.escape, names)) + ")", html)
    cut = [(found[i], names[found[i + 1]]) for i in range(0, len(found) - 1, 2)]
    if not all(t in found for t in times) or html.count(str(_STAND_IN_PK)) == 0:
        return None
    return (*cut, (found[-1], ""))  # a tuple: kept unpickled (core/memorycache)


def _filled(node: tree.Node[V], scope: _Scope, token: object) -> SafeString | None:
    """The personal box from its shape's stand-in box, or None to render it."""
    if not _fillable(node):
        return None
    zone = timezone.get_current_timezone()
    # str(zone) tells zones apart (Django's name of a zone is its tzname or that).
    key = f"discussion:own:{scope.key}:{zone}:"
    key += ":".join(map(str, _shape(node)))
    cache = scope.cache
    pieces: tuple[tuple[str, str], ...] | None = cache.get(key)
    if pieces is None:
        pieces = _pieces(node, zone, scope.language)
        if pieces is None:
            return None
        cache.set(key, pieces, TIMEOUT)
    c = node.item.comment
    times = box_times.written(c.created_at, zone, scope.language)
    # As django.utils.html.escape, without its lazy-argument wrapper.
    escape = html_module.escape
    values = {
        "name": escape(c.author_name),
        "website": escape(c.author_website),
        "body": c.body_html,
        "reply_to": escape(node.reply_to or ""),
        "score": str(c.score),
        "pk": str(c.pk),
        "time0": times[0],
        "time1": times[1],
        "": "",
    }
    out = []
    for text, name in pieces:
        out.append(text)
        out.append(str(token) if name == "token" else values[name])
    # Text and stand-ins come from the template, values escaped as it does.
    return SafeString("".join(out))


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
    comment_views.present (per-reader flags). Side effect: renders and stores the
    boxes that were missing.
    """
    # Asked for only where a box has a form: a token also means a Set-Cookie.
    _boxes(nodes, _Scope(state), focus, _Token(request) if token is None else token)


def _boxes(
    nodes: Iterable[tree.Node[V]], scope: _Scope, focus: int | None, token: object
) -> None:
    shared: dict[str, list[tree.Node[V]]] = {}
    template = None  # looked up where a box is rendered
    for node in nodes:
        if _personal(node, focus):
            filled = _filled(node, scope, token)
            if filled is None:
                template = template or get_template(TEMPLATE)
                filled = mark_safe(template.render(_context(node, token)))  # noqa: S308
            node.item.box_html = filled
        else:
            shared.setdefault(_key(node, scope), []).append(node)
    if not shared:
        return
    cache = scope.cache
    found = cache.get_many(list(shared))
    missing: dict[str, tuple[str, ...]] = {}
    for key, group in shared.items():
        parts: tuple[str, ...] | None = found.get(key)
        if parts is None:
            first = group[0]
            template = template or get_template(TEMPLATE)
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
    # The parts came from our templates, with user text escaped there
    # (SafeString: mark_safe's lazy-argument wrapper costs more than the join).
    return SafeString(str(token).join(parts) if len(parts) > 1 else parts[0])


def _row_pieces(row: tree.Row[V], focused: bool) -> tuple[str, ...] | None:
    """A leaf row rendered around stand-ins for its id and box, cut at them:
    (before the id, between the ids, before the box, after it); None when the
    template printed them in another way."""
    node = row.node
    view = dataclasses.replace(node.item, box_html=_STAND_INS["body"])  # type: ignore[type-var]
    stand_in = dataclasses.replace(node, id=_STAND_IN_PK, item=view)
    context = {
        "row": tree.Row(stand_in, False, False, []),
        "node": stand_in,
        "focus": _STAND_IN_PK if focused else None,
    }
    html = get_template(ROW_TEMPLATE).render(context)
    found = re.split(f"({_STAND_IN_PK}|{_STAND_INS['body']})", html)
    if found[1::2] != [str(_STAND_IN_PK), str(_STAND_IN_PK), _STAND_INS["body"]]:
        return None
    return tuple(found[0::2])


def _filled_row(
    row: tree.Row[V], focus: int | None, scope: _Scope
) -> tuple[str, ...] | None:
    """A reader's own leaf row (the comment just posted) from its shape's
    stand-in row, split where the CSRF token goes, or None to render it."""
    node = row.node
    if row.has_children or row.closes or node.unloaded:
        return None
    c = node.item.comment
    focused = node.id == focus
    key = f"discussion:own-row:{scope.key}:{int(node.shown)}:{c.status}:"
    key += f"{c.held_reason}:{int(focused)}"
    cache = scope.cache
    pieces: tuple[str, ...] | None = cache.get(key)
    if pieces is None:
        pieces = _row_pieces(row, focused)
        if pieces is None:
            return None
        cache.set(key, pieces, TIMEOUT)
    pk = str(node.id)
    # The box holds the token's mark where its forms go (render_boxes).
    html = f"{pieces[0]}{pk}{pieces[1]}{pk}{pieces[2]}{node.item.box_html}{pieces[3]}"
    return tuple(html.split(_CSRF_MARK))


def render_rows(
    rows: list[tree.Row[V]],
    *,
    state: str,
    request: HttpRequest | None,
    focus: int | None = None,
) -> SafeString:
    """The rows as `discussion/rows.html` renders them, each from the cache where
    it can be shared.

    Precondition: the views come from comment_views.present (per-reader flags).
    Side effect: renders and stores the rows that were missing (their boxes
    through render_boxes' cache); the reader's own rows are rendered fresh.
    """
    token = _Token(request)
    parts = _rendered_rows(rows, _Scope(state), focus)
    return SafeString("".join([_join(p, token) for p in parts]))  # escaped renders


def render_conversations(
    roots: list[tree.Node[V]], *, state: str, fold_after: int
) -> list[tuple[str, ...]]:
    """The rows of each conversation (a top-level node and what it holds), as
    render_rows renders them for a reader with no stake in them, split where
    the CSRF token goes (join_parts puts a reader's in)."""
    flat = [tree.flatten([root], fold_after=fold_after) for root in roots]
    parts = iter(_rendered_rows([r for rows in flat for r in rows], _Scope(state)))
    # Each row's parts joined at the token's mark, the conversation's cut there.
    return [
        tuple("".join(_CSRF_MARK.join(next(parts)) for _ in rows).split(_CSRF_MARK))
        for rows in flat
    ]


def join_parts(parts: list[tuple[str, ...]], request: HttpRequest) -> SafeString:
    """Parts cut where the CSRF token goes (render_conversations), joined with
    the reader's token between them."""
    token = _Token(request)
    return SafeString("".join([_join(p, token) for p in parts]))  # escaped renders


def scope_key(state: str) -> str:
    """What every rendered row's key holds besides the comment: the language,
    the thread's state and the script prefix the addresses start from."""
    return _Scope(state).key


def _rendered_rows(
    rows: list[tree.Row[V]], scope: _Scope, focus: int | None = None
) -> list[tuple[str, ...]]:
    """Each row's rendering split where the CSRF token goes; kept (shared) or
    filled (the reader's own) where it can be."""
    template = None  # looked up where a row is rendered
    keys = {
        i: _row_key(row, scope)
        for i, row in enumerate(rows)
        if not _row_personal(row, focus)
    }
    cache = scope.cache
    # No look-up when every row is the reader's own (a comment just posted).
    found: dict[str, tuple[str, ...]] = (
        cache.get_many(list(set(keys.values()))) if keys else {}
    )
    fresh = [r.node for i, r in enumerate(rows) if keys.get(i) not in found]
    _boxes(fresh, scope, focus, _CSRF_MARK)
    missing: dict[str, tuple[str, ...]] = {}
    out: list[tuple[str, ...]] = []
    for i, row in enumerate(rows):
        key = keys.get(i)
        parts = found.get(key) if key else None
        if parts is None and key is None:
            parts = _filled_row(row, focus, scope)
        if parts is None:
            context = {"row": row, "node": row.node, "focus": focus}
            template = template or get_template(ROW_TEMPLATE)
            parts = tuple(template.render(context).split(_CSRF_MARK))
            if key:
                found[key] = missing[key] = parts
        out.append(parts)
    if missing:
        cache.set_many(missing, TIMEOUT)
    return out
