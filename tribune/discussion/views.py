"""Reader views of the comment section; they work as plain HTML forms without JS."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tribune.core import clock, pagecache
from tribune.discussion import (
    conf,
    fragments,
    identity,
    policies,
    selectors,
    services,
    tree,
    verification,
)
from tribune.discussion.errors import (
    DiscussionError,
    NotFoundError,
    SpamSuspectedError,
)
from tribune.discussion.forms import CommentForm, EditForm, ReportForm
from tribune.discussion.models import Comment, SiteCommentsMode
from tribune.discussion.ranking import Order, parse_order
from tribune.newsroom.models import ArticlePage


def _article(page_id: int) -> ArticlePage:
    page = ArticlePage.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404("No such report.")
    return page


def _comment(request: HttpRequest, comment_id: int) -> Comment:
    """The comment, or 404 unless policies.can_view_comment lets the reader see it."""
    try:
        return selectors.access_comment(
            comment_id=comment_id,
            viewer=identity.viewer_for(request),
            rules=selectors.get_settings_for_request(request),
        )
    except NotFoundError:
        raise Http404("No such comment.") from None


def comment_url(page: ArticlePage, comment_id: int, request: HttpRequest) -> str:
    """The permalink of a comment on its report's page."""
    query = urlencode({"comment": comment_id})
    return f"{page.get_url(request)}?{query}#comment-{comment_id}"


def see_other(url: str) -> HttpResponseRedirect:
    """303 to `url` after a successful POST, so reloading the result does not
    send the form again."""
    return HttpResponseRedirect(url, status=303)


def _context_state(request: HttpRequest, page: ArticlePage) -> tuple[Any, str]:
    rules = selectors.get_settings_for_request(request)
    return rules, selectors.get_state(page, rules)


@require_POST
def post_comment(request: HttpRequest, page_id: int) -> HttpResponseBase:
    """Post a comment or reply; on a problem, show the report again with the form."""
    page = _article(page_id)
    viewer = identity.viewer_for(request)
    signed_in = viewer.user_id is not None
    form = CommentForm(request.POST, signed_in=signed_in)
    rules, state = _context_state(request, page)
    if form.is_valid():
        data = form.cleaned_data
        try:
            form.check_bot_signals()
            viewer = identity.ensure_guest(request, viewer)
            comment = services.post_comment(
                thread=services.get_or_create_thread(page=page),
                state=state,
                rules=rules,
                viewer=viewer,
                body=data["body"],
                user=request.user if signed_in else None,  # type: ignore[arg-type]
                guest=None
                if signed_in
                else services.Guest(data["name"], data["email"], data["website"]),
                parent_id=data.get("parent"),
                ip=identity.client_ip(request),
                idempotency_key=data.get("key") or None,
                notify=data.get("notify") or "",
            )
        except DiscussionError as error:
            if isinstance(error, SpamSuspectedError) and error.code != "too_fast":
                form.refresh_token()
            form.add_service_error(error)
        else:
            if not signed_in and data.get("verify_email"):
                ask_verification(comment)
            response = see_other(comment_url(page, comment.pk, request))
            identity.remember_guest(response, viewer)
            return response
    # Serve the report again, with this form and its errors in the comment section.
    form.focus_first_error()
    request.discussion_form = form  # type: ignore[attr-defined]
    response = page.serve(request)
    response.status_code = 400
    return response


def ask_verification(comment: Comment) -> None:
    """Mail the guest who wrote `comment` a link that proves their address.

    The answer to the poster is the same whether or not a mail goes out.
    """
    verification.request_email_verification(
        email=comment.author_email,
        guest_token=comment.guest_token,
        base_url=settings.WAGTAILADMIN_BASE_URL,
    )


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponseBase:
    """A page with one button: mail scanners open links, only people press it."""
    if request.method == "POST":
        if verification.verify_guest_email(token=token) is None:
            return render(request, "discussion/verify/bad_link.html", status=400)
        return render(request, "discussion/verify/done.html")
    return render(request, "discussion/verify/confirm.html")


@require_POST
def vote(request: HttpRequest, comment_id: int) -> HttpResponseBase:
    """Vote up, down or withdraw, then return to the comment."""
    comment = _comment(request, comment_id)
    page = comment.thread.page.specific
    value = {"up": 1, "down": -1, "none": 0}.get(request.POST.get("value", ""), 2)
    rules, state = _context_state(request, page)
    try:
        viewer = identity.ensure_guest(request, identity.viewer_for(request))
        services.vote(
            comment=comment,
            viewer=viewer,
            value=value,
            state=state,
            rules=rules,
            ip=identity.client_ip(request),
        )
    except DiscussionError as error:
        return _problem(request, page, comment, error)
    response = see_other(comment_url(page, comment.pk, request))
    identity.remember_guest(response, viewer)
    return response


def _problem(
    request: HttpRequest, page: ArticlePage, comment: Comment, error: DiscussionError
) -> HttpResponse:
    return render(
        request,
        "discussion/problem.html",
        {
            "article": page,
            "message": error.message,
            "back": comment_url(page, comment.pk, request),
        },
        status=error.status,
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, comment_id: int) -> HttpResponseBase:
    """The author's edit form for a comment, within the edit window."""
    comment = _comment(request, comment_id)
    page = comment.thread.page.specific
    viewer = identity.viewer_for(request)
    rules, _state = _context_state(request, page)
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                services.edit_comment(
                    comment=comment,
                    viewer=viewer,
                    body=form.cleaned_data["body"],
                    rules=rules,
                )
            except DiscussionError as error:
                form.add_error("body" if error.field == "body" else None, error.message)
            else:
                return see_other(comment_url(page, comment.pk, request))
    else:
        if not policies.can_edit(comment, viewer):
            return _problem(
                request,
                page,
                comment,
                DiscussionError(
                    "This comment can no longer be edited from this browser."
                ),
            )
        form = EditForm(initial={"body": comment.body_markdown})
    return render(
        request,
        "discussion/edit.html",
        {"form": form, "comment": comment, "article": page},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, comment_id: int) -> HttpResponseBase:
    """Ask, then delete the reader's own comment."""
    comment = _comment(request, comment_id)
    page = comment.thread.page.specific
    viewer = identity.viewer_for(request)
    if request.method == "POST":
        try:
            services.delete_comment(comment=comment, viewer=viewer)
        except DiscussionError as error:
            return _problem(request, page, comment, error)
        return see_other(comment_url(page, comment.pk, request))
    if not policies.can_delete(comment, viewer):
        return _problem(
            request,
            page,
            comment,
            DiscussionError("This comment can no longer be deleted from this browser."),
        )
    return render(
        request, "discussion/delete.html", {"comment": comment, "article": page}
    )


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, comment_id: int) -> HttpResponseBase:
    """Report a comment to the moderators."""
    comment = _comment(request, comment_id)
    page = comment.thread.page.specific
    rules, _state = _context_state(request, page)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            viewer = identity.ensure_guest(request, identity.viewer_for(request))
            services.report_comment(
                comment=comment,
                viewer=viewer,
                rules=rules,
                reason=form.cleaned_data["reason"],
                ip=identity.client_ip(request),
            )
        except DiscussionError as error:
            return _problem(request, page, comment, error)
        response = see_other(f"{request.path}?{urlencode({'sent': 1})}")
        identity.remember_guest(response, viewer)
        return response
    if request.GET.get("sent") == "1":
        return render(
            request,
            "discussion/reported.html",
            {"article": page, "back": comment_url(page, comment.pk, request)},
        )
    return render(
        request,
        "discussion/report.html",
        {"form": form, "comment": comment, "article": page},
    )


@require_GET
def sort(request: HttpRequest, page_id: int, order: str) -> HttpResponseBase:
    """Remember the reader's sort order in a cookie and show the comments in it."""
    page = _article(page_id)
    chosen = parse_order(order)
    response = HttpResponseRedirect(
        f"{page.get_url(request)}?{urlencode({'sort': chosen.value})}#comments"
    )
    response.set_cookie(
        conf.get("SORT_COOKIE"),
        chosen.value,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=False,
    )
    return response


def chosen_order(request: HttpRequest) -> Order:
    """The order asked for in the address, else remembered in the cookie."""
    return parse_order(
        request.GET.get("sort") or request.COOKIES.get(conf.get("SORT_COOKIE"))
    )


# Beyond what a database integer holds: such an id or page cannot exist.
_LARGEST = 2**63 - 1
# More comment pages than any thread has; a page number beyond is not found.
MAX_COMMENT_PAGE = 2**31 - 1


def _int(raw: str | None, default: int | None) -> int | None:
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return value if value is None or abs(value) <= _LARGEST else default


def _comment_page(request: HttpRequest) -> int:
    """The `cpage` asked for (1 when absent or unreadable); 404 beyond any thread."""
    try:
        number = int(request.GET.get("cpage") or 1)
    except ValueError:
        return 1
    if number > MAX_COMMENT_PAGE:
        raise Http404("No such page of comments.")
    return max(1, number)


# The page-cache scope of a report's thread: this prefix and the page id.
SCOPE = "discussion:"


def shares_public_copy(request: HttpRequest, scopes: list[str]) -> bool:
    """pagecache sharer: whether a guest's copy of a page is the public one, i.e.
    they wrote nothing (held comments included) and voted nothing in its threads."""
    page_ids = [int(s.removeprefix(SCOPE)) for s in scopes if s.startswith(SCOPE)]
    viewer = identity.viewer_for(request)
    if not page_ids or not viewer.guest_token:
        return True
    return not selectors.has_stake(viewer, page_ids)


def thread_context(request: HttpRequest, page: ArticlePage) -> dict[str, Any]:
    """Everything the comment section template needs, for the article page."""
    pagecache.mark(request, f"{SCOPE}{page.pk}")
    viewer = identity.viewer_for(request)
    rules = selectors.get_settings_for_request(request)
    thread_page = selectors.get_thread_page(
        page=page,
        viewer=viewer,
        rules=rules,
        order=chosen_order(request),
        page_number=_comment_page(request),
        show_all=request.GET.get("call") == "1",
        focus=_int(request.GET.get("comment"), None),
    )
    annotate(thread_page, viewer)
    fragments.render_boxes(
        tree.walk(thread_page.roots),
        state=thread_page.state,
        request=request,
        focus=thread_page.focus,
    )
    form = getattr(request, "discussion_form", None)
    signed_in = viewer.user_id is not None
    if form is None and thread_page.state == SiteCommentsMode.OPEN:
        form = CommentForm(signed_in=signed_in, request=request)
        reply_to = _int(request.GET.get("replyto"), None)
        if reply_to is not None:
            form.initial["parent"] = reply_to
    parent_id = None
    if form is not None:
        parent_id = (
            form.cleaned_data.get("parent")
            if form.is_bound and hasattr(form, "cleaned_data")
            else form.initial.get("parent")
        )
    reply_to = _int(str(parent_id) if parent_id else None, None)
    reply_name = next(
        (n.name for n in tree.walk(thread_page.roots) if n.id == reply_to), None
    )
    return {
        "thread": thread_page,
        "form": form,
        "viewer": viewer,
        "reply_to": reply_to,
        "reply_name": reply_name,
        "orders": list(Order),
        "rows": tree.flatten(thread_page.roots, fold_after=conf.get("COLLAPSE_AFTER")),
        "request": request,
        "article": page,
    }


def annotate(thread_page: selectors.ThreadPage, viewer: identity.Viewer) -> None:
    """Attach what each displayed comment offers this reader (for the templates)."""
    now = clock.now()
    for root in thread_page.roots:
        root.item.holds_focus = False  # type: ignore[attr-defined]
        for node in tree.walk([root]):
            comment = node.item
            comment.my_vote = thread_page.votes.get(node.id, 0)  # type: ignore[attr-defined]
            comment.is_mine = policies.is_author(comment, viewer)  # type: ignore[attr-defined]
            comment.may_edit = policies.can_edit(comment, viewer, now)  # type: ignore[attr-defined]
            comment.may_vote = policies.can_vote(comment, viewer, thread_page.state)  # type: ignore[attr-defined]
            comment.may_reply = policies.can_reply(comment, thread_page.state)  # type: ignore[attr-defined]
            if node.id == thread_page.focus:
                root.item.holds_focus = True  # type: ignore[attr-defined]


@require_GET
def fragment(request: HttpRequest, page_id: int) -> HttpResponseBase:
    """The list part of the comment section, for the script's sort and load-more."""
    page = _article(page_id)
    context = thread_context(request, page)
    return TemplateResponse(request, "discussion/comment_list.html", context)
