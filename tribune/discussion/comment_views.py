"""Each displayed comment as one reader gets it: what it offers them (vote,
reply, edit), their vote, their badge, and its rendered box."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.safestring import SafeString

from tribune.core import clock
from tribune.discussion import badges, policies, tree
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment

_NO_BOX = SafeString("")


@dataclass
class CommentView:
    """One displayed comment and what it offers this reader.

    `holds_focus` is set on a top-level comment whose conversation holds the
    permalinked one (its folded replies open); `box_html` is the rendered box
    (fragments.render_boxes).
    """

    comment: Comment
    my_vote: int = 0
    is_mine: bool = False
    may_edit: bool = False
    may_vote: bool = False
    may_reply: bool = False
    holds_focus: bool = False
    box_html: SafeString = _NO_BOX
    # The author's supporter badge (badges.SUPPORTER or MONTHLY), or "".
    badge: str = ""


def _view(
    comment: Comment,
    viewer: Viewer,
    state: str,
    my_vote: int,
    now: datetime,
    badge: str = "",
) -> CommentView:
    return CommentView(
        comment=comment,
        badge=badge,
        my_vote=my_vote,
        is_mine=policies.is_author(comment, viewer),
        may_edit=policies.can_edit(comment, viewer, now),
        may_vote=policies.can_vote(comment, viewer, state),
        may_reply=policies.can_reply(comment, state),
    )


def _node(
    node: tree.Node[Comment], item: CommentView, children: list[tree.Node[CommentView]]
) -> tree.Node[CommentView]:
    return tree.Node(
        id=node.id,
        parent_id=node.parent_id,
        name=node.name,
        shown=node.shown,
        item=item,
        depth=node.depth,
        reply_to=node.reply_to,
        children=children,
        reply_count=node.reply_count,
        unloaded=node.unloaded,
    )


def present(
    roots: Iterable[tree.Node[Comment]],
    viewer: Viewer,
    *,
    state: str,
    votes: dict[int, int],
    focus: int | None = None,
) -> list[tree.Node[CommentView]]:
    """The same forest with each comment as the CommentView this reader gets."""
    now = clock.now()
    roots = list(roots)
    badge_of = badges.badges_for(n.item for n in tree.walk(roots))

    def visit(node: tree.Node[Comment]) -> tree.Node[CommentView]:
        vote = votes.get(node.id, 0)
        view = _view(node.item, viewer, state, vote, now, badge_of.get(node.id, ""))
        return _node(node, view, [visit(child) for child in node.children])

    presented = []
    for root in roots:
        top = visit(root)
        top.item.holds_focus = focus is not None and any(
            n.id == focus for n in tree.walk([top])
        )
        presented.append(top)
    return presented


def present_posted(
    comment: Comment, viewer: Viewer, state: str
) -> tree.Node[CommentView]:
    """The poster's own comment, just posted, as a one-node tree."""
    view = CommentView(
        comment=comment,
        is_mine=True,
        may_edit=policies.can_edit(comment, viewer),
        may_reply=policies.can_reply(comment, state),
    )
    return tree.Node(comment.pk, comment.parent_id, comment.author_name, True, view)
