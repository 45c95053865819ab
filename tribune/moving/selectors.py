"""Reads of the moving app."""

from __future__ import annotations

from tribune.discussion.models import Comment, Status
from tribune.moving.models import LegacyRecord, Source


def find_moved_comment(*, page_id: int, legacy_id: str) -> Comment | None:
    """The visible comment on report `page_id` that WordPress comment `legacy_id`
    became; failing that, Tribune's own comment of that id on that report.

    When the WordPress comment came to this report but is not shown (held, or
    removed since), there is no fallback: the old link meant that comment, and a
    Tribune comment that happens to have the same number is another reader's."""
    ids = LegacyRecord.objects.filter(
        source=Source.WORDPRESS, kind="comment", legacy_id=legacy_id[:64]
    ).values("object_id")
    on_page = Comment.objects.filter(thread__page_id=page_id)
    moved_here = on_page.filter(pk__in=ids)
    found = moved_here.filter(status=Status.APPROVED).order_by("pk").first()
    own_pk = _as_pk(legacy_id)
    if found is None and own_pk is not None and not moved_here.exists():
        found = on_page.filter(status=Status.APPROVED, pk=own_pk).first()
    return found


def _as_pk(text: str) -> int | None:
    """`text` as a row id, or None: ASCII digits only ("²" is a digit to
    `str.isdigit` but not to `int`), and no more than a 64-bit column holds."""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)
