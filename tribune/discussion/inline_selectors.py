"""Reads of inline feedback: a quote located in the article, the commented
passages, the orphans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from tribune.core.text import clean_reader_text
from tribune.discussion import anchoring, passages, tree
from tribune.discussion.errors import InvalidCommentError
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, PassageState, Status
from tribune.discussion.selectors import visible_to
from tribune.discussion.submission import Quote
from tribune.discussion.thread_pages import build_tree
from tribune.newsroom.models import DiscussedPage

# A whole paragraph may be quoted (the no-JS form does); longer is not a passage.
MAX_QUOTE = 5000
CONTEXT = 64  # stored prefix/suffix at most; the browser sends 32
PASSAGE_FIELDS = [
    "passage_state",
    "passage_block",
    "passage_exact",
    "passage_prefix",
    "passage_suffix",
    "passage_start",
    "passage_end",
    "passage_method",
]


def locate(*, article: DiscussedPage, quote: Quote) -> anchoring.Anchor:
    """Anchor a quote in the live body of an article.

    Raises InvalidCommentError (field "passage") when the quote is blank, too
    long, or not in the current version of the article.
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
        passages.blocks_of(article.body),
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


def whole_paragraph(*, article: DiscussedPage, block: str) -> Quote:
    """The quote of an entire paragraph, for the form without JavaScript.

    Raises InvalidCommentError (field "passage") for an unknown or empty paragraph.
    """
    found = next((b for b in passages.blocks_of(article.body) if b.id == block), None)
    if found is None or not found.text.strip():
        raise InvalidCommentError(
            _("Choose a paragraph of the report."), field="passage", code="bad_passage"
        )
    anchor = anchoring.make_anchor([found], found.id, 0, len(found.text))
    return Quote(anchor.block_id, anchor.exact, anchor.prefix, anchor.suffix)


@dataclass
class Passage:
    """One commented passage of an article: where it is and its conversations."""

    block: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    comments: list[int] = field(default_factory=list)
    count: int = 0


def list_passages(*, article: DiscussedPage, viewer: Viewer) -> list[Passage]:
    """Anchored passages of an article with the inline comments the viewer sees.

    `count` adds the approved replies of those comments.  Two queries.
    """
    roots = list(
        Comment.objects.filter(
            thread__page_id=article.pk,
            root__isnull=True,
            passage_state=PassageState.ANCHORED,
        )
        .filter(visible_to(viewer))
        .only("pk", *PASSAGE_FIELDS)
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


def list_conversations(
    *, article: DiscussedPage, comment_ids: list[int], viewer: Viewer
) -> list[tree.Node[Comment]]:
    """The named inline comments of an article that the viewer sees, oldest
    first, each with all its replies, nested for display.  Two queries."""
    top = list(
        Comment.objects.filter(
            pk__in=comment_ids,
            thread__page_id=article.pk,
            root__isnull=True,
            passage_state=PassageState.ANCHORED,
        )
        .filter(visible_to(viewer))
        .order_by("created_at", "id")
    )
    replies = list(
        Comment.objects.filter(root_id__in=[c.pk for c in top]).order_by(
            "created_at", "id"
        )
    )
    return build_tree(top, replies, viewer)


def list_orphans() -> Any:
    """Inline comments whose passage is gone, newest first, for the editors.

    Spam and deleted comments are left out; each row has its article.
    """
    return (
        Comment.objects.filter(passage_state=PassageState.ORPHANED)
        .exclude(status__in=[Status.SPAM, Status.DELETED])
        .select_related("thread__page")
        .order_by("-created_at", "-id")
    )
