"""What the templates need about comments for one reader: typed views of the
comments, the comment section's context, permalinks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest
from django.utils.safestring import SafeString

from tribune.core import clock, pagecache
from tribune.discussion import (
    badges,
    conf,
    fragments,
    identity,
    policies,
    selectors,
    thread_pages,
    tree,
)
from tribune.discussion.forms import CommentForm
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, SiteCommentsMode
from tribune.discussion.ranking import Order, parse_order
from tribune.newsroom.models import DiscussedPage

# The page-cache scope of an article's thread: this prefix and the page id.
SCOPE = "discussion:"
# Beyond what a database integer holds: such an id or page cannot exist.
_LARGEST = 2**63 - 1
# More comment pages than any thread has; a page number beyond is not found.
MAX_COMMENT_PAGE = 2**31 - 1


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


def comment_url(article: DiscussedPage, comment_id: int, request: HttpRequest) -> str:
    """The permalink of a comment on its article's page."""
    query = urlencode({"comment": comment_id})
    return f"{article.get_url(request)}?{query}#comment-{comment_id}"


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


def chosen_order(request: HttpRequest) -> Order:
    """The order asked for in the address, else remembered in the cookie."""
    return parse_order(
        request.GET.get("sort") or request.COOKIES.get(conf.get("SORT_COOKIE"))
    )


def parse_int(raw: str | None) -> int | None:
    """A database-sized integer from the address, else None."""
    try:
        value = int(raw) if raw else None
    except ValueError:
        return None
    return value if value is None or abs(value) <= _LARGEST else None


def _comment_page(request: HttpRequest) -> int:
    """The `cpage` asked for (1 when absent or unreadable); 404 beyond any thread."""
    try:
        number = int(request.GET.get("cpage") or 1)
    except ValueError:
        return 1
    if number > MAX_COMMENT_PAGE:
        raise Http404("No such page of comments.")
    return max(1, number)


def _reply_to(form: CommentForm | None) -> int | None:
    """The comment the form answers: posted, or asked for with ?replyto."""
    if form is None:
        return None
    parent_id = (
        form.cleaned_data.get("parent")
        if form.is_bound and hasattr(form, "cleaned_data")
        else form.initial.get("parent")
    )
    return parse_int(str(parent_id) if parent_id else None)


def _form(
    request: HttpRequest, viewer: Viewer, state: str, form: CommentForm | None
) -> CommentForm | None:
    """The refused form given back, or a fresh one while comments are open."""
    if form is not None or state != SiteCommentsMode.OPEN:
        return form
    form = CommentForm(signed_in=viewer.user_id is not None, request=request)
    reply_to = parse_int(request.GET.get("replyto"))
    if reply_to is not None:
        form.initial["parent"] = reply_to
    return form


def thread_context(
    request: HttpRequest, article: DiscussedPage, *, form: CommentForm | None = None
) -> dict[str, Any]:
    """Everything the comment section template needs, for the article page.

    `form` is a refused comment form to show again with its errors; without
    one, a fresh form is offered while comments are open.
    """
    pagecache.mark(request, f"{SCOPE}{article.pk}")
    viewer = identity.viewer_for(request)
    rules = selectors.get_settings_for_request(request)
    thread_page = thread_pages.get_thread_page(
        article=article,
        viewer=viewer,
        rules=rules,
        order=chosen_order(request),
        page_number=_comment_page(request),
        show_all=request.GET.get("call") == "1",
        focus=parse_int(request.GET.get("comment")),
        fold_after=conf.get("COLLAPSE_AFTER"),
    )
    roots = present(
        thread_page.roots,
        viewer,
        state=thread_page.state,
        votes=thread_page.votes,
        focus=thread_page.focus,
    )
    form = _form(request, viewer, thread_page.state, form)
    reply_to = _reply_to(form)
    reply_name = next((n.name for n in tree.walk(roots) if n.id == reply_to), None)
    return {
        "thread": thread_page,
        "form": form,
        "viewer": viewer,
        "reply_to": reply_to,
        "reply_name": reply_name,
        "orders": list(Order),
        "rows_html": fragments.render_rows(
            tree.flatten(roots, fold_after=conf.get("COLLAPSE_AFTER")),
            state=thread_page.state,
            request=request,
            focus=thread_page.focus,
        ),
        "request": request,
        "article": article,
    }


def conversation_replies(
    request: HttpRequest, article: DiscussedPage, root_id: int
) -> SafeString | None:
    """The replies below one top-level comment as rows for its opened fold,
    rendered for this reader; None when the reader would not find that
    conversation on the thread page."""
    # Kept and invalidated with the thread, as the page is (pagecache).
    pagecache.mark(request, f"{SCOPE}{article.pk}")
    viewer = identity.viewer_for(request)
    conversation = thread_pages.get_conversation(
        article=article,
        viewer=viewer,
        rules=selectors.get_settings_for_request(request),
        root_id=root_id,
    )
    if not conversation.roots:
        return None
    roots = present(
        conversation.roots,
        viewer,
        state=conversation.state,
        votes=conversation.votes,
    )
    # The rows below the top-level comment: none is on the top level, so
    # nothing folds again.
    return fragments.render_rows(
        tree.flatten(roots[0].children, fold_after=0),
        state=conversation.state,
        request=request,
    )
