"""Reads of a thread's pages: its conversations in the reader's order, nested for
display, in a fixed number of queries whatever the thread's size."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from tribune.core import prepared, rows
from tribune.discussion import conf, policies, tree
from tribune.discussion.identity import Viewer
from tribune.discussion.models import (
    Comment,
    DiscussionSettings,
    SiteCommentsMode,
    Status,
    Thread,
    Vote,
)
from tribune.discussion.ranking import Order
from tribune.discussion.selectors import get_state, visible_to
from tribune.newsroom.models import DiscussedPage

_ORDERING = {
    Order.OLDEST: ("created_at", "id"),
    Order.NEWEST: ("-created_at", "-id"),
    Order.VOTED: ("-score", "-rank", "id"),
    Order.BEST: ("-rank", "-score", "id"),
    Order.INLINE: ("created_at", "id"),
}


# Columns no display of a thread reads (the editor's, moderation's, the spam
# filter's): not fetched and parsed for each comment of a page.
_NOT_SHOWN = (
    "body_markdown",
    "ip_address",
    "idempotency_key",
    "report_count",
    "spam_score",
    "spam_reasons",
    "spam_facts",
    "offensive_score",
    "offensive_match",
    "passage_prefix",
    "passage_suffix",
    "passage_start",
    "passage_end",
    "passage_method",
)
# The columns a page shows, by attribute name.
_SHOWN = tuple(
    f.attname for f in Comment._meta.concrete_fields if f.name not in _NOT_SHOWN
)


def _loaded(comments: QuerySet[Comment]) -> list[Comment]:
    """The comments with the columns a page shows, made without Model.__init__
    per row (rows.made)."""
    return rows.made(Comment, comments.values_list(*_SHOWN), _SHOWN, comments.db)


def _made(values: list[tuple[Any, ...]]) -> list[Comment]:
    """The comments of rows of _SHOWN values (a prepared read), as _loaded."""
    return rows.made(Comment, values, _SHOWN, _TOP_LEVEL.alias())


@dataclass
class ThreadPage:
    """What the comment section shows: counts, state and one page of threads."""

    article: DiscussedPage
    thread: Thread | None
    state: SiteCommentsMode
    order: Order
    count: int
    roots: list[tree.Node[Comment]] = field(default_factory=list)
    page_number: int = 1
    has_more: bool = False
    show_all: bool = False
    votes: dict[int, int] = field(default_factory=dict)
    focus: int | None = None

    @property
    def next_page(self) -> int:
        return self.page_number + 1


def _roots(
    thread_id: int, viewer: Viewer, order: Order | None = None
) -> QuerySet[Comment]:
    """Top-level comments the reader sees, or that hold replies the reader sees.

    The "Inline Feedbacks" order keeps only comments on a passage.
    """
    answered = Comment.objects.filter(root=OuterRef("pk"), status=Status.APPROVED)
    roots = Comment.objects.filter(thread_id=thread_id, root__isnull=True).filter(
        visible_to(viewer) | Q(Exists(answered))
    )
    if order is Order.INLINE:
        roots = roots.exclude(passage_state="")
    return roots


def _position_filter(order: Order, anchor: Comment) -> Q:
    """Comments that come before `anchor` in `order`."""
    if order is Order.NEWEST:
        return Q(created_at__gt=anchor.created_at) | Q(
            created_at=anchor.created_at, id__gt=anchor.pk
        )
    if order is Order.VOTED:
        return (
            Q(score__gt=anchor.score)
            | Q(score=anchor.score, rank__gt=anchor.rank)
            | Q(score=anchor.score, rank=anchor.rank, id__lt=anchor.pk)
        )
    if order is Order.BEST:
        return (
            Q(rank__gt=anchor.rank)
            | Q(rank=anchor.rank, score__gt=anchor.score)
            | Q(rank=anchor.rank, score=anchor.score, id__lt=anchor.pk)
        )
    return Q(created_at__lt=anchor.created_at) | Q(
        created_at=anchor.created_at, id__lt=anchor.pk
    )


def _locate(
    thread: Thread, viewer: Viewer, order: Order, comment_id: int
) -> tuple[int, int] | None:
    """The page number on which a comment's conversation appears and the id of
    its top-level comment, or None."""
    # Only a comment the reader may see moves the page: where a held one sits
    # is not for other readers to learn.
    target = (
        Comment.objects.filter(visible_to(viewer), thread=thread, pk=comment_id)
        .select_related("root")
        .first()
    )
    if target is None:
        return None
    root = target.root or target
    if order is Order.INLINE and not root.passage_state:
        order = Order.OLDEST  # a permalink to a plain comment leaves the filter
    earlier = _roots(thread.pk, viewer, order).filter(_position_filter(order, root))
    before = earlier.count()
    return before // conf.get("PAGE_SIZE") + 1, root.pk


def find_page_of(
    *, thread: Thread, viewer: Viewer, order: Order, comment_id: int
) -> int | None:
    """The page number on which a comment's conversation appears, or None."""
    located = _locate(thread, viewer, order, comment_id)
    return located[0] if located else None


def get_thread_page(
    *,
    article: DiscussedPage,
    viewer: Viewer,
    rules: DiscussionSettings,
    order: Order = Order.OLDEST,
    page_number: int = 1,
    show_all: bool = False,
    focus: int | None = None,
    fold_after: int | None = None,
) -> ThreadPage:
    """One page of top-level comments with their replies, nested for display.

    With `fold_after` (a page, not the whole thread), a conversation with more
    shown replies than that comes without them: its top-level node counts them
    in `unloaded`, and the reader opens it (get_conversation). So the page's
    size stays bounded however many replies the conversations draw. The
    conversation holding the permalinked comment (`focus`) comes whole.

    At most seven queries whatever the thread size: the thread, an optional
    permalink lookup (two), the page of top-level comments, the count of their
    shown replies (with `fold_after`), their replies, and the viewer's votes.
    """
    result = open_thread(article, rules, order)
    thread = result.thread
    if thread is None:
        return result
    focus_root = None
    if focus is not None:
        located = _locate(thread, viewer, order, focus)
        if located is not None:
            (page_number, focus_root), result.focus = located, focus
    top = _top_level(result, thread, viewer, max(1, page_number), show_all)
    unloaded: dict[int, int] = {}
    opened = [c.pk for c in top]
    if fold_after is not None and not show_all:
        opened, unloaded = _folds(thread, top, viewer, fold_after, focus_root)
    _fill(result, viewer, top, opened, unloaded)
    return result


def open_thread(
    article: DiscussedPage, rules: DiscussionSettings, order: Order
) -> ThreadPage:
    """The page's state and count, with its thread unless comments are hidden
    or there is none yet (then nothing else is shown)."""
    state = get_state(article, rules)
    result = ThreadPage(article=article, thread=None, state=state, order=order, count=0)
    if state == SiteCommentsMode.HIDDEN:
        return result
    found = _THREAD.rows(article.pk)
    result.thread = (
        rows.made(Thread, found, _THREAD_COLUMNS, _THREAD.alias())[0] if found else None
    )
    if result.thread is not None:
        result.count = result.thread.comment_count
    return result


def _top_level(
    result: ThreadPage, thread: Thread, viewer: Viewer, page_number: int, show_all: bool
) -> list[Comment]:
    """The page's top-level comments in `result.order`; notes the page on `result`."""
    return _made(_windowed(_TOP_LEVEL, result, thread, viewer, page_number, show_all))


def top_level_versions(
    result: ThreadPage, thread: Thread, viewer: Viewer, page_number: int
) -> list[tuple[int, int]]:
    """The (id, conversation version) of the page's top-level comments in
    `result.order`, without their other values (kept_conversations); notes
    the page on `result`."""
    return _windowed(_TOP_LEVEL_VERSIONS, result, thread, viewer, page_number, False)


def _windowed(
    read: prepared.Prepared,
    result: ThreadPage,
    thread: Thread,
    viewer: Viewer,
    page_number: int,
    show_all: bool,
) -> list[tuple[Any, ...]]:
    size = conf.get("PAGE_SIZE")
    start = (page_number - 1) * size
    window = None if show_all else (start, start + size + 1)
    top = read.rows(
        thread.pk,
        viewer.user_id,
        viewer.guest_token,
        fixed=(result.order, window),
        # A plan per page: kept for the pages readers open most.
        keep=page_number <= _KEPT_PAGES,
    )
    if not show_all and len(top) > size:
        result.has_more = True
        top = top[:size]
    result.page_number, result.show_all = page_number, show_all
    return top


def _top_level_query(thread_id: int, viewer: Viewer, order: Order) -> QuerySet[Comment]:
    """The thread's top level as the reader sees it, in `order`."""
    return _roots(thread_id, viewer, order).order_by(*_ORDERING[order])


def _top_level_window(
    thread_id: int,
    user_id: int | None,
    guest_token: str,
    order: Order,
    window: tuple[int, int] | None,
    *,
    versions: bool = False,
) -> QuerySet[Any]:
    """The _SHOWN values of the top level's comments in `window` (all: None),
    or with `versions` their ids and conversation versions."""
    viewer = Viewer(user_id=user_id, guest_token=guest_token)
    roots = _top_level_query(thread_id, viewer, order)
    if window is not None:
        roots = roots[window[0] : window[1]]
    if versions:
        return roots.values_list("id", _VERSION)
    return roots.values_list(*_SHOWN)


# The database's version of a conversation (migration 0013): not a model field,
# so that no save() can write an old one back.
_VERSION = RawSQL('"discussion_comment"."conversation_version"', ())


def _comments_by_id(ids: list[int]) -> QuerySet[Any]:
    return Comment.objects.filter(pk__in=ids).order_by().values_list(*_SHOWN)


def _replies_of(root_ids: list[int]) -> QuerySet[Any]:
    """The _SHOWN values of every reply in these conversations, in time order."""
    return (
        Comment.objects.filter(root_id__in=root_ids)
        .order_by("created_at", "id")
        .values_list(*_SHOWN)
    )


def _thread_of(page_id: int) -> QuerySet[Any]:
    return (
        Thread.objects.filter(page_id=page_id)
        .order_by("pk")
        .values_list(*_THREAD_COLUMNS)[:1]
    )


def _votes_of(voter: str, comment_ids: list[int]) -> QuerySet[Any]:
    return Vote.objects.filter(voter=voter, comment_id__in=comment_ids).values_list(
        "comment_id", "value"
    )


# The comment pages whose top-level read is kept compiled (core/prepared.py).
_KEPT_PAGES = 5
_THREAD_COLUMNS = tuple(f.attname for f in Thread._meta.concrete_fields)
# Built and compiled once per shape (core/prepared.py): building them took more
# than reading a page's rows.
_TOP_LEVEL = prepared.Prepared(Comment, _top_level_window)
_REPLIES = prepared.Prepared(Comment, _replies_of)
_THREAD = prepared.Prepared(Thread, _thread_of)
_VOTES = prepared.Prepared(Vote, _votes_of)
_TOP_LEVEL_VERSIONS = prepared.Prepared(
    Comment, functools.partial(_top_level_window, versions=True)
)
_COMMENTS = prepared.Prepared(Comment, _comments_by_id)


def _folds(
    thread: Thread,
    top: list[Comment],
    viewer: Viewer,
    fold_after: int,
    focus_root: int | None,
) -> tuple[list[int], dict[int, int]]:
    """The top-level comments whose replies come with the page, and the count of
    shown replies of those that come without (over the fold, not the focus's)."""
    ids = [c.pk for c in top]
    # No conversation can pass the fold when the thread's other published
    # comments are too few: no query to count them (the reader's own held
    # replies, not in that count, then fold inside the page, as with show_all).
    shown_roots = sum(1 for c in top if c.status == Status.APPROVED)
    if not top or thread.comment_count - shown_roots <= fold_after:
        return ids, {}
    shown = _count_shown_replies(ids, viewer)
    # A conversation without shown replies needs none of its rows: the hidden
    # ones would all be dropped (tree.build).
    opened = [
        pk for pk in ids if 0 < shown.get(pk, 0) <= fold_after or pk == focus_root
    ]
    unloaded = {pk: n for pk, n in shown.items() if n > fold_after and pk != focus_root}
    return opened, unloaded


def _count_shown_replies(root_ids: list[int], viewer: Viewer) -> dict[int, int]:
    """Replies the reader sees under each of these top-level comments, by id."""
    return dict(_SHOWN_REPLIES.rows(root_ids, viewer.user_id, viewer.guest_token))


def _shown_replies(
    root_ids: list[int], user_id: int | None, guest_token: str
) -> QuerySet[Any]:
    # The rule in the count, not in WHERE: filtered by status, SQLite walks the
    # moderation queue's index (every published comment of the site); by the
    # conversations, the root index (their replies only).
    viewer = Viewer(user_id=user_id, guest_token=guest_token)
    return (
        Comment.objects.filter(root_id__in=root_ids)
        .order_by()
        .values_list("root_id")
        .annotate(n=Count("id", filter=visible_to(viewer)))
        .values_list("root_id", "n")
    )


# Compiled once per shape: building it took three times the count itself.
_SHOWN_REPLIES = prepared.Prepared(Comment, _shown_replies)


def _fill(
    result: ThreadPage,
    viewer: Viewer,
    top: list[Comment],
    opened: list[int],
    unloaded: dict[int, int],
) -> None:
    """Nest `top` with the replies of the `opened` ones (the others counting
    their shown replies as `unloaded`) and the viewer's votes into `result`."""
    replies = _made(_REPLIES.rows(opened)) if opened else []
    result.roots = build_tree(top, replies, viewer, unloaded)
    if viewer.key is not None and top:
        ids = [c.pk for c in top] + [c.pk for c in replies]
        result.votes = dict(_VOTES.rows(viewer.key, ids))


def fill_conversations(
    result: ThreadPage,
    thread: Thread,
    viewer: Viewer,
    root_ids: list[int],
    fold_after: int,
) -> None:
    """Nest these top-level comments (in this order; any gone since left out)
    with their replies into `result`, as get_thread_page does for its page
    (with `fold_after` and no focus). Three queries at most."""
    found = {c.pk: c for c in _made(_COMMENTS.rows(root_ids))}
    top = [found[pk] for pk in root_ids if pk in found]
    opened, unloaded = _folds(thread, top, viewer, fold_after, None)
    _fill(result, viewer, top, opened, unloaded)


def get_conversation(
    *, article: DiscussedPage, viewer: Viewer, rules: DiscussionSettings, root_id: int
) -> ThreadPage:
    """One top-level comment of the article with all its replies, as its fold
    opens on the thread page: `roots` holds it, or nothing when the reader
    would not find it there (the same rule as the page: shown to them, or
    holding replies they see). Four queries."""
    result = open_thread(article, rules, Order.OLDEST)
    thread = result.thread
    if thread is None:
        return result
    top = _loaded(_roots(thread.pk, viewer).filter(pk=root_id))
    if top:
        _fill(result, viewer, top, [root_id], {})
    return result


def build_tree(
    top: list[Comment],
    replies: Iterable[Comment],
    viewer: Viewer,
    unloaded: dict[int, int] | None = None,
) -> list[tree.Node[Comment]]:
    """Nest top-level comments (in display order) and replies for one reader;
    `unloaded` counts the shown replies left out, by top-level comment."""
    left_out = unloaded or {}
    nodes = [
        tree.Node(
            id=c.pk,
            parent_id=c.parent_id,
            name=c.author_name,
            shown=policies.can_see(c, viewer),
            item=c,
            unloaded=left_out.get(c.pk, 0),
        )
        for c in [*top, *replies]
    ]
    return tree.build(nodes, max_depth=conf.get("MAX_DEPTH"))
