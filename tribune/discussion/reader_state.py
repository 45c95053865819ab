"""One reader's own state in a thread (votes, own comments, form identity), for the
page script that applies it to the shared copy of the article (decision 0024).

The shared copy is the same bytes for everyone; this is the only personal part, and
it is answered to its owner alone (api.get_reader_state, never in a shared cache).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from tribune.discussion import comment_views, fragments, policies, tree
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, Status, Vote

# A reader with more comments in one thread gets their newest ones; the rest are
# on the page as everyone sees them (approved) or on their own later pages.
MAX_OWN_COMMENTS = 100
# Given the reader, the article and the reader's own address (or ""), what another
# app knows about them there, as JSON values (subscriptions registers one).
StatePart = Callable[[Viewer, int, str], list[dict[str, Any]]]
_PARTS: dict[str, StatePart] = {}


def register_part(name: str, part: StatePart) -> None:
    """Let an app add `name` to the reader's state; call it in ready()."""
    _PARTS[name] = part


def get_part(name: str, viewer: Viewer, page_id: int, email: str) -> list[Any]:
    """The registered part `name` for this reader, or [] when no app adds it or
    the reader is unknown here (no query then)."""
    part = _PARTS.get(name)
    if part is None or viewer.key is None:
        return []
    return part(viewer, page_id, email)


@dataclass(frozen=True)
class OwnComment:
    """One of the reader's comments as the script places it."""

    comment: Comment
    html: str
    editable_until: dt.datetime | None

    def as_json(self) -> dict[str, Any]:
        """As schemas.OwnComment; a shadow-held comment looks published."""
        status = policies.apparent_status(self.comment)
        until = self.editable_until
        return {
            "id": self.comment.pk,
            "parent": self.comment.parent_id,
            "status": status,
            "held": status == Status.PENDING,
            "html": self.html,
            "editable_until": until.isoformat() if until else None,
        }


def _authored_by(viewer: Viewer) -> dict[str, Any]:
    if viewer.user_id is not None:
        return {"author_id": viewer.user_id}
    return {"guest_token": viewer.guest_token}


def list_own_comments(viewer: Viewer, page_id: int) -> list[Comment]:
    """The reader's live comments (approved or held) in the article's thread,
    newest first, at most MAX_OWN_COMMENTS. One query; none for a reader
    without an identity."""
    if viewer.key is None:
        return []
    found = Comment.objects.filter(
        thread__page_id=page_id,
        status__in=(Status.APPROVED, Status.PENDING),
        **_authored_by(viewer),
    ).order_by("-created_at", "-id")
    return list(found[:MAX_OWN_COMMENTS])


def list_votes(viewer: Viewer, page_id: int) -> dict[int, int]:
    """The reader's votes in the article's thread, by comment id. One query;
    none for a reader without an identity."""
    if viewer.key is None:
        return {}
    found = Vote.objects.filter(voter=viewer.key, comment__thread__page_id=page_id)
    return dict(found.values_list("comment_id", "value"))


def get_form_identity(
    request: HttpRequest, viewer: Viewer, own: list[Comment]
) -> dict[str, str] | None:
    """What the reader typed last into the comment form (name, email, website),
    or their account's name and address; None for a reader unknown here.

    Only ever answered to the reader it belongs to. One query for a guest with
    no comment in this thread; none otherwise (the user is loaded already).
    """
    if viewer.user_id is not None:
        user = request.user
        return {
            "name": user.get_full_name() or user.get_username(),  # type: ignore[union-attr]
            "email": getattr(user, "email", "") or "",
            "website": "",
        }
    if not viewer.guest_token:
        return None
    latest = own[0] if own else None
    if latest is None:
        latest = (
            Comment.objects.filter(guest_token=viewer.guest_token)
            .only("author_name", "author_email", "author_website")
            .order_by("-created_at", "-id")
            .first()
        )
    if latest is None:
        return None
    return {
        "name": latest.author_name,
        "email": latest.author_email,
        "website": latest.author_website,
    }


def present_own_comments(
    request: HttpRequest, viewer: Viewer, own: list[Comment], state: str
) -> list[OwnComment]:
    """Each own comment as the thread shows it to its author: its list item's HTML
    (held ones marked "Awaiting moderation"), and when editing closes."""
    nodes = [comment_views.present_posted(c, viewer, state) for c in own]
    fragments.render_boxes(nodes, state=state, request=request)
    result = []
    for comment, node in zip(own, nodes, strict=True):
        html = render_to_string(
            "discussion/rows.html",
            {"rows": tree.flatten([node], fold_after=0)},
            request=request,
        )
        until = policies.edit_deadline(comment) if node.item.may_edit else None
        result.append(OwnComment(comment, html, until))
    return result
