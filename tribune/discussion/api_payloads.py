"""The comment JSON the discussion API answers with (schemas.Comment)."""

from __future__ import annotations

from typing import Any

from tribune.discussion import badges, identity, policies, tree
from tribune.discussion.models import Comment


def comment_tree(
    node: tree.Node[Comment],
    viewer: identity.Viewer,
    votes: dict[int, int],
    state: str,
    badge_of: dict[int, str],
) -> dict[str, Any]:
    """One comment and its replies as the API answers them (schemas.Comment)."""
    c = node.item
    shown = node.shown
    return {
        "id": c.pk,
        "parent": c.parent_id,
        "depth": node.depth,
        "reply_to": node.reply_to,
        "status": policies.apparent_status(c)
        if shown
        else ("deleted" if c.status == "deleted" else "removed"),
        "author": {
            "name": c.author_name,
            "website": c.author_website or None,
            "badge": badge_of.get(c.pk),
        }
        if shown
        else None,
        "body_html": c.body_html if shown else None,
        "created_at": c.created_at.isoformat(),
        "edited_at": c.edited_at.isoformat() if c.edited_at and shown else None,
        "score": c.score,
        "upvotes": c.upvotes,
        "downvotes": c.downvotes,
        "my_vote": votes.get(c.pk, 0),
        "can_edit": shown and policies.can_edit(c, viewer),
        "can_vote": shown and policies.can_vote(c, viewer, state),
        "replies": [
            comment_tree(child, viewer, votes, state, badge_of)
            for child in node.children
        ],
    }


def single_comment(
    comment: Comment,
    viewer: identity.Viewer,
    state: str,
    my_vote: int = 0,
    *,
    badged: bool = True,
) -> dict[str, Any]:
    """One comment without its replies, e.g. after a vote or an edit.

    `badged` False where the author cannot have proved an address (a guest
    made by this request): no badge is looked up."""
    node = tree.Node(
        id=comment.pk,
        parent_id=comment.parent_id,
        name=comment.author_name,
        shown=policies.can_see(comment, viewer),
        item=comment,
        depth=comment.depth,
    )
    badge_of = badges.badges_for([comment]) if node.shown and badged else {}
    return comment_tree(node, viewer, {comment.pk: my_vote}, state, badge_of)
