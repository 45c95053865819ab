"""Reads of the moving app."""

from __future__ import annotations

from tribune.discussion.models import Comment, Status
from tribune.moving.models import LegacyRecord, Source


def find_moved_comment(*, page_id: int, legacy_id: str) -> Comment | None:
    """The visible comment on report `page_id` that WordPress comment `legacy_id`
    became; failing that, Tribune's own comment of that id on that report."""
    ids = LegacyRecord.objects.filter(
        source=Source.WORDPRESS, kind="comment", legacy_id=legacy_id[:64]
    ).values("object_id")
    visible = Comment.objects.filter(thread__page_id=page_id, status=Status.APPROVED)
    found = visible.filter(pk__in=ids).order_by("pk").first()
    if found is None and legacy_id.isdigit():
        found = visible.filter(pk=int(legacy_id)).first()
    return found
