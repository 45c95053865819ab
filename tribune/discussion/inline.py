"""Inline feedback: posting comments on a passage, re-anchoring them, reading them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from tribune.core.text import clean_reader_text
from tribune.discussion import anchoring, caching, passages, services
from tribune.discussion.errors import InvalidCommentError
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, PassageState, Status
from tribune.discussion.selectors import visible_to
from tribune.newsroom.models import ArticlePage

# A whole paragraph may be quoted (the no-JS form does); longer is not a passage.
MAX_QUOTE = 5000
CONTEXT = 64  # stored prefix/suffix at most; the browser sends 32
_FIELDS = [
    "passage_state",
    "passage_block",
    "passage_exact",
    "passage_prefix",
    "passage_suffix",
    "passage_start",
    "passage_end",
    "passage_method",
]


@dataclass(frozen=True)
class Quote:
    """What the browser sends: the paragraph id, the selected text and its context."""

    block: str
    exact: str
    prefix: str = ""
    suffix: str = ""


def locate(*, page: ArticlePage, quote: Quote) -> anchoring.Anchor:
    """Anchor a quote in the live body of a report.

    Raises InvalidCommentError (field "passage") when the quote is blank, too
    long, or not in the current version of the report.
    """
    exact = clean_reader_text(quote.exact or "")
    if len(exact) > MAX_QUOTE:
        raise InvalidCommentError(
            _("A passage can be at most %(n)d characters long.") % {"n": MAX_QUOTE},
            field="passage",
            code="bad_passage",
        )
    if not exact.strip():
        raise InvalidCommentError(
            _("Select the words you want to comment on."),
            field="passage",
            code="bad_passage",
        )
    found = anchoring.locate_quote(
        passages.blocks_of(page.body),
        quote.block or "",
        exact,
        clean_reader_text(quote.prefix or "")[-CONTEXT:],
        clean_reader_text(quote.suffix or "")[:CONTEXT],
    )
    if found is None:
        raise InvalidCommentError(
            _(
                "This passage is not in the current version of the report; "
                "reload the page and select it again."
            ),
            field="passage",
            code="bad_passage",
        )
    return found


def whole_paragraph(*, page: ArticlePage, block: str) -> Quote:
    """The quote of an entire paragraph, for the form without JavaScript.

    Raises InvalidCommentError (field "passage") for an unknown or empty paragraph.
    """
    found = next((b for b in passages.blocks_of(page.body) if b.id == block), None)
    if found is None or not found.text.strip():
        raise InvalidCommentError(
            _("Choose a paragraph of the report."), field="passage", code="bad_passage"
        )
    anchor = anchoring.make_anchor([found], found.id, 0, len(found.text))
    return Quote(anchor.block_id, anchor.exact, anchor.prefix, anchor.suffix)


def _apply(comment: Comment, anchor: anchoring.Anchor, method: str) -> None:
    comment.passage_state = PassageState.ANCHORED
    comment.passage_block = anchor.block_id
    comment.passage_exact = anchor.exact
    comment.passage_prefix = anchor.prefix[-CONTEXT:]
    comment.passage_suffix = anchor.suffix[:CONTEXT]
    comment.passage_start = anchor.start
    comment.passage_end = anchor.end
    comment.passage_method = method


@transaction.atomic
def post_inline_comment(*, page: ArticlePage, quote: Quote, **post: Any) -> Comment:
    """Post a top-level comment on a passage of the report's live body.

    Takes `services.post_comment`'s keyword arguments (same rules: state,
    moderation, rate limits, spam, signals) except `parent_id`: replies to an
    inline comment are ordinary replies.  The quote is checked first, so a bad
    one writes nothing.  Raises InvalidCommentError (field "passage") for a
    quote not in the report, and whatever post_comment raises.
    """
    if post.get("parent_id") is not None:
        raise InvalidCommentError(
            _("Replies belong to a comment, not to a passage."),
            field="parent",
            code="bad_passage",
        )
    anchor = locate(page=page, quote=quote)
    comment = services.post_comment(**post)
    if not comment.passage_state:  # a resent form returns the first, anchored one
        _apply(comment, anchor, "")
        comment.save(update_fields=_FIELDS)
    return comment


@dataclass(frozen=True)
class Reanchored:
    """What a re-anchoring did: comments looked at, moved, newly orphaned."""

    total: int
    moved: int
    orphaned: int


@transaction.atomic
def reanchor_page(*, page: ArticlePage) -> Reanchored:
    """Re-anchor every inline comment of a report against its current body.

    Called when a revision is published.  Comments whose passage is gone become
    orphaned and keep their last quote; orphans whose words come back are
    anchored again.  Locks the report's inline comments; drops the cached page
    on commit when anything changed.
    """
    comments = list(
        Comment.objects.select_for_update()
        .filter(thread__page_id=page.pk)
        .exclude(passage_state="")
        .only("pk", "thread_id", *_FIELDS)
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
    placements = anchoring.reanchor_many(anchors, passages.blocks_of(page.body))
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
        _apply(comment, placement.anchor, placement.method)
        Comment.objects.filter(pk=comment.pk).update(
            **{f: getattr(comment, f) for f in _FIELDS}
        )
    for (state, method), ids in same.items():
        Comment.objects.filter(pk__in=ids).update(
            passage_state=state, passage_method=method
        )
    if changed:
        caching.invalidate_thread_pages(page.pk)
    return Reanchored(len(comments), moved, orphaned)


def on_page_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Wagtail's page_published receiver: re-anchor a report's inline feedback."""
    if isinstance(instance, ArticlePage):
        reanchor_page(page=instance)


@dataclass
class Passage:
    """One commented passage of a report: where it is and its conversations."""

    block: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    comments: list[int] = field(default_factory=list)
    count: int = 0


def list_passages(*, page: ArticlePage, viewer: Viewer) -> list[Passage]:
    """Anchored passages of a report with the inline comments the viewer sees.

    `count` adds the approved replies of those comments.  Two queries.
    """
    roots = list(
        Comment.objects.filter(
            thread__page_id=page.pk,
            root__isnull=True,
            passage_state=PassageState.ANCHORED,
        )
        .filter(visible_to(viewer))
        .only("pk", *_FIELDS)
        .order_by("created_at", "pk")
    )
    if not roots:
        return []
    replies = dict(
        Comment.objects.filter(
            root_id__in=[c.pk for c in roots], status=Status.APPROVED
        )
        .values_list("root_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    found: dict[tuple[str, int, int], Passage] = {}
    for c in roots:
        key = (c.passage_block, c.passage_start or 0, c.passage_end or 0)
        passage = found.get(key)
        if passage is None:
            passage = found[key] = Passage(
                c.passage_block,
                c.passage_exact,
                c.passage_prefix,
                c.passage_suffix,
                key[1],
                key[2],
            )
        passage.comments.append(c.pk)
        passage.count += 1 + replies.get(c.pk, 0)
    return list(found.values())


def list_orphans() -> Any:
    """Inline comments whose passage is gone, newest first, for the editors.

    Spam and deleted comments are left out; each row has its report.
    """
    return (
        Comment.objects.filter(passage_state=PassageState.ORPHANED)
        .exclude(status__in=[Status.SPAM, Status.DELETED])
        .select_related("thread__page")
        .order_by("-created_at", "-id")
    )
