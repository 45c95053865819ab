"""Writes of inline feedback: a passage's place on a comment, re-anchoring an
article's inline comments when it is published again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from tribune.discussion import anchoring, caching, passages
from tribune.discussion.inline_selectors import CONTEXT, PASSAGE_FIELDS
from tribune.discussion.models import Comment, PassageState
from tribune.newsroom.models import DISCUSSED_PAGE_TYPES, DiscussedPage


def apply_anchor(comment: Comment, anchor: anchoring.Anchor, method: str) -> None:
    """Set the passage fields of an unsaved or locked comment from `anchor`."""
    comment.passage_state = PassageState.ANCHORED
    comment.passage_block = anchor.block_id
    comment.passage_exact = anchor.exact
    comment.passage_prefix = anchor.prefix[-CONTEXT:]
    comment.passage_suffix = anchor.suffix[:CONTEXT]
    comment.passage_start = anchor.start
    comment.passage_end = anchor.end
    comment.passage_method = method


@dataclass(frozen=True)
class Reanchored:
    """What a re-anchoring did: comments looked at, moved, newly orphaned."""

    total: int
    moved: int
    orphaned: int


@transaction.atomic
def reanchor_article(*, article: DiscussedPage) -> Reanchored:
    """Re-anchor every inline comment of an article against its current body.

    Called when a revision is published.  Comments whose passage is gone become
    orphaned and keep their last quote; orphans whose words come back are
    anchored again.  Locks the article's inline comments; drops the cached page
    on commit when anything changed.
    """
    comments = list(
        Comment.objects.select_for_update()
        .filter(thread__page_id=article.pk)
        .exclude(passage_state="")
        .only("pk", "thread_id", *PASSAGE_FIELDS)
        .order_by("pk")
    )
    if not comments:
        return Reanchored(0, 0, 0)
    anchors = [
        anchoring.Anchor(
            c.passage_block,
            c.passage_exact,
            c.passage_prefix,
            c.passage_suffix,
            c.passage_start or 0,
            c.passage_end or 0,
        )
        for c in comments
    ]
    placements = anchoring.reanchor_many(anchors, passages.blocks_of(article.body))
    # Most comments only learn how they were placed; they are updated in one
    # statement per method.  bulk_update's CASE over 500 rows and eight fields
    # took two seconds (bench/inline_reanchor_bench.py); moved ones go one by one.
    same: dict[tuple[str, str], list[int]] = {}
    moved, orphaned, changed = 0, 0, False
    for comment, old, placement in zip(comments, anchors, placements, strict=True):
        if placement.anchor is None or placement.anchor == old:
            state: str = (
                PassageState.ORPHANED
                if placement.anchor is None
                else PassageState.ANCHORED
            )
            if state == PassageState.ORPHANED != comment.passage_state:
                orphaned += 1
            if (state, placement.method) != (
                comment.passage_state,
                comment.passage_method,
            ):
                same.setdefault((state, placement.method), []).append(comment.pk)
                changed = changed or state != comment.passage_state
            continue
        moved += 1
        changed = True
        apply_anchor(comment, placement.anchor, placement.method)
        Comment.objects.filter(pk=comment.pk).update(
            **{f: getattr(comment, f) for f in PASSAGE_FIELDS}
        )
    for (state, method), ids in same.items():
        Comment.objects.filter(pk__in=ids).update(
            passage_state=state, passage_method=method
        )
    if changed:
        caching.invalidate_thread_pages(article.pk)
    return Reanchored(len(comments), moved, orphaned)


def on_page_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Wagtail's page_published receiver: re-anchor a page's inline feedback."""
    if isinstance(instance, DISCUSSED_PAGE_TYPES):
        reanchor_article(article=instance)
