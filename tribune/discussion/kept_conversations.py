"""A page of the thread from conversations rendered once per version, for
readers with no stake in the thread (docs/decisions/0048-conversations-kept.md).

Such a reader sees a conversation (a top-level comment and its replies, or
its fold) as every other such reader does, so it is rendered once and kept in
this process under the version the database gives each conversation
(migration 0013: any write to the top-level comment or a reply changes it).
A page then reads only its top-level ids and versions; the conversations not
kept, or kept under another version, are read and rendered as before. So
after a new comment only its own conversation is rendered again, and a page's
cost hardly grows with the conversations it holds.

What a conversation shows that its rows do not hold is in the key (the
language, thread state, script prefix, time zone and the fold's settings) or
checked on each use (the authors' supporter badges, which follow the ledger).
"""

from __future__ import annotations

from django.core.cache import caches
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString

from tribune.discussion import (
    badges,
    comment_views,
    conf,
    fragments,
    selectors,
    thread_pages,
    tree,
)
from tribune.discussion.identity import Viewer
from tribune.discussion.models import DiscussionSettings, Thread
from tribune.discussion.ranking import Order
from tribune.discussion.thread_pages import ThreadPage
from tribune.newsroom.models import DiscussedPage

# (the rows' parts cut where the CSRF token goes, the authorships of its
# comments, their badges as (comment id, badge) pairs): plain tuples, kept
# unpickled (core/memorycache).
_Kept = tuple[
    tuple[str, ...], tuple[badges.Authorship, ...], tuple[tuple[int, str], ...]
]


def serves(viewer: Viewer, article: DiscussedPage) -> bool:
    """Whether the reader has no stake in the article's thread: no account,
    and as a guest nothing written or voted there (as the page cache asks)."""
    if viewer.user_id is not None:
        return False
    return not viewer.guest_token or not selectors.has_stake(viewer, [article.pk])


def thread_page(
    request: HttpRequest,
    *,
    article: DiscussedPage,
    viewer: Viewer,
    rules: DiscussionSettings,
    order: Order,
    page_number: int,
) -> tuple[ThreadPage, SafeString]:
    """One page of the thread with its rows, for a reader `serves` accepts:
    as thread_pages.get_thread_page (with the fold, no focus) and
    fragments.render_rows give it. Three queries when every conversation is
    kept (the thread, the top level's versions, at most one for badges)."""
    fold_after = conf.get("COLLAPSE_AFTER")
    result = thread_pages.open_thread(article, rules, order)
    if result.thread is None:
        return result, SafeString("")
    versions = thread_pages.top_level_versions(
        result, result.thread, viewer, page_number
    )
    scope = (
        f"discussion:conversation:{fragments.scope_key(result.state)}:"
        f"{timezone.get_current_timezone()}:{fold_after}:{conf.get('MAX_DEPTH')}"
    )
    keys = {pk: f"{scope}:{pk}:{version}" for pk, version in versions}
    cache = caches["local"]
    found: dict[str, _Kept] = cache.get_many(list(keys.values()))
    kept = _with_current_badges({pk: found[k] for pk, k in keys.items() if k in found})
    missing = [pk for pk, _ in versions if pk not in kept]
    if missing:
        made = _rendered(result, result.thread, viewer, missing, fold_after)
        cache.set_many(
            {keys[pk]: entry for pk, entry in made.items()}, fragments.TIMEOUT
        )
        kept.update(made)
    parts = [kept[pk][0] for pk, _ in versions if pk in kept]
    return result, fragments.join_parts(parts, request)


def _with_current_badges(kept: dict[int, _Kept]) -> dict[int, _Kept]:
    """Those kept conversations whose authors' badges are still as rendered
    (a donation or a verification since changes them): one look-up for all."""
    if not kept:
        return kept
    now = badges.badges_of([a for entry in kept.values() for a in entry[1]])
    return {
        pk: entry
        for pk, entry in kept.items()
        if entry[2] == tuple((a[0], now[a[0]]) for a in entry[1] if a[0] in now)
    }


def _rendered(
    result: ThreadPage,
    thread: Thread,
    viewer: Viewer,
    root_ids: list[int],
    fold_after: int,
) -> dict[int, _Kept]:
    """These conversations read and rendered, by top-level id (one gone since
    the page's versions were read is left out)."""
    thread_pages.fill_conversations(result, thread, viewer, root_ids, fold_after)
    roots = comment_views.present(result.roots, viewer, state=result.state, votes={})
    rendered = fragments.render_conversations(
        roots, state=result.state, fold_after=fold_after
    )
    made: dict[int, _Kept] = {}
    for root, parts in zip(roots, rendered, strict=True):
        views = {n.id: n.item for n in tree.walk([root])}
        authors = tuple(badges.authorships(v.comment for v in views.values()))
        shown = tuple((a[0], views[a[0]].badge) for a in authors if views[a[0]].badge)
        made[root.id] = (parts, authors, shown)
    result.roots = []  # the rows are rendered: no one reads the nodes after
    return made
