"""What the templates need about comments for one reader: the comment
section's context (from kept conversations where the reader has no stake),
a conversation's replies, permalinks; each comment's view is comment_views'."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest
from django.utils.safestring import SafeString

from tribune.core import pagecache
from tribune.discussion import (
    conf,
    fragments,
    identity,
    kept_conversations,
    selectors,
    thread_pages,
    tree,
)
from tribune.discussion.comment_views import present
from tribune.discussion.forms import CommentForm
from tribune.discussion.identity import Viewer
from tribune.discussion.models import SiteCommentsMode
from tribune.discussion.ranking import Order, parse_order
from tribune.newsroom.models import DiscussedPage

# The page-cache scope of an article's thread: this prefix and the page id.
SCOPE = "discussion:"
# Beyond what a database integer holds: such an id or page cannot exist.
_LARGEST = 2**63 - 1
# More comment pages than any thread has; a page number beyond is not found.
MAX_COMMENT_PAGE = 2**31 - 1


def comment_url(article: DiscussedPage, comment_id: int, request: HttpRequest) -> str:
    """The permalink of a comment on its article's page."""
    query = urlencode({"comment": comment_id})
    return f"{article.get_url(request)}?{query}#comment-{comment_id}"


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
    order = chosen_order(request)
    page_number = _comment_page(request)
    show_all = request.GET.get("call") == "1"
    focus = parse_int(request.GET.get("comment"))
    if (
        form is None
        and focus is None
        and not show_all
        and "replyto" not in request.GET
        and kept_conversations.serves(viewer, article)
    ):
        # The reader sees what every reader with no stake sees (decision 0048).
        thread_page, rows_html = kept_conversations.thread_page(
            request,
            article=article,
            viewer=viewer,
            rules=rules,
            order=order,
            page_number=page_number,
        )
        reply_to, reply_name = None, None
        form = _form(request, viewer, thread_page.state, form)
    else:
        thread_page = thread_pages.get_thread_page(
            article=article,
            viewer=viewer,
            rules=rules,
            order=order,
            page_number=page_number,
            show_all=show_all,
            focus=focus,
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
        rows_html = fragments.render_rows(
            tree.flatten(roots, fold_after=conf.get("COLLAPSE_AFTER")),
            state=thread_page.state,
            request=request,
            focus=thread_page.focus,
        )
    return {
        "thread": thread_page,
        "form": form,
        "viewer": viewer,
        "reply_to": reply_to,
        "reply_name": reply_name,
        "orders": list(Order),
        "rows_html": rows_html,
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
