"""Reader views of the comment section; they work as plain HTML forms without JS."""

from __future__ import annotations

from collections.abc import Sequence
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

from tribune.discussion import (
    conf,
    identity,
    policies,
    presenters,
    selectors,
    verification,
)
from tribune.discussion.errors import (
    DiscussionError,
    NotFoundError,
    OffensiveLanguageError,
    SpamSuspectedError,
)
from tribune.discussion.forms import CommentForm, EditForm, ReportForm
from tribune.discussion.models import Comment
from tribune.discussion.pages import discussed
from tribune.discussion.presenters import comment_url
from tribune.discussion.ranking import parse_order
from tribune.discussion.services import moderation, posting, voting
from tribune.discussion.submission import Fields, Submission, build_submission
from tribune.newsroom.models import DiscussedPage


def article_or_404(page_id: int) -> DiscussedPage:
    """The public article (selectors.get_public_article), else 404."""
    try:
        return selectors.get_public_article(page_id)
    except NotFoundError:
        raise Http404("No such report.") from None


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


def see_other(url: str) -> HttpResponseRedirect:
    """303 to `url` after a successful POST, so reloading the result does not
    send the form again."""
    return HttpResponseRedirect(url, status=303)


def _context_state(request: HttpRequest, article: DiscussedPage) -> tuple[Any, str]:
    rules = selectors.get_settings_for_request(request)
    return rules, selectors.get_state(article, rules)


@require_POST
def post_comment(request: HttpRequest, page_id: int) -> HttpResponseBase:
    """Post a comment or reply; on a problem, show the article again with the form."""
    article = article_or_404(page_id)
    signed_in = identity.viewer_for(request).user_id is not None
    form = CommentForm(request.POST, signed_in=signed_in)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            form.check_bot_signals()
            submission = build_submission(
                request,
                thread=posting.get_or_create_thread(article=article),
                fields=Fields.from_form(data),
            )
            comment = posting.post_comment(submission)
        except OffensiveLanguageError as error:
            form.ask_to_confirm(error)
            status = error.status
        except DiscussionError as error:
            if isinstance(error, SpamSuspectedError) and error.code != "too_fast":
                form.refresh_token()
            form.add_service_error(error)
        else:
            verify = bool(data.get("verify_email"))
            return posted(request, article, comment, submission, verify=verify)
    # Serve the article again, with this form and its errors (or the question
    # whether to rephrase) in the comment section.
    form.focus_first_error()
    response = article.serve(request)
    response.context_data["discussion_form"] = form
    response.status_code = status
    return response


def posted(
    request: HttpRequest,
    article: DiscussedPage,
    comment: Comment,
    submission: Submission,
    *,
    verify: bool,
) -> HttpResponseBase:
    """See the new comment; a guest who asked (`verify`) is mailed a link that
    proves the address."""
    if submission.user is None and verify:
        ask_verification(comment)
    response = see_other(comment_url(article, comment.pk, request))
    identity.remember_guest(response, submission.viewer)
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
    article = discussed(comment.thread.page)
    value = {"up": 1, "down": -1, "none": 0}.get(request.POST.get("value", ""), 2)
    rules, state = _context_state(request, article)
    try:
        viewer = identity.ensure_guest(request, identity.viewer_for(request))
        voting.vote(
            comment=comment,
            viewer=viewer,
            value=value,
            state=state,
            rules=rules,
            ip=identity.client_ip(request),
        )
    except DiscussionError as error:
        return _problem(request, article, comment, error)
    response = see_other(comment_url(article, comment.pk, request))
    identity.remember_guest(response, viewer)
    return response


def _problem(
    request: HttpRequest,
    article: DiscussedPage,
    comment: Comment,
    error: DiscussionError,
) -> HttpResponse:
    return render(
        request,
        "discussion/problem.html",
        {
            "article": article,
            "message": error.message,
            "back": comment_url(article, comment.pk, request),
        },
        status=error.status,
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, comment_id: int) -> HttpResponseBase:
    """The author's edit form for a comment, within the edit window."""
    comment = _comment(request, comment_id)
    article = discussed(comment.thread.page)
    viewer = identity.viewer_for(request)
    rules, _state = _context_state(request, article)
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                posting.edit_comment(
                    comment=comment,
                    viewer=viewer,
                    body=form.cleaned_data["body"],
                    rules=rules,
                )
            except DiscussionError as error:
                form.add_error("body" if error.field == "body" else None, error.message)
            else:
                return see_other(comment_url(article, comment.pk, request))
    else:
        if not policies.can_edit(comment, viewer):
            return _problem(
                request,
                article,
                comment,
                DiscussionError(
                    "This comment can no longer be edited from this browser."
                ),
            )
        form = EditForm(initial={"body": comment.body_markdown})
    return render(
        request,
        "discussion/edit.html",
        {"form": form, "comment": comment, "article": article},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, comment_id: int) -> HttpResponseBase:
    """Ask, then delete the reader's own comment."""
    comment = _comment(request, comment_id)
    article = discussed(comment.thread.page)
    viewer = identity.viewer_for(request)
    if request.method == "POST":
        try:
            posting.delete_comment(comment=comment, viewer=viewer)
        except DiscussionError as error:
            return _problem(request, article, comment, error)
        return see_other(comment_url(article, comment.pk, request))
    if not policies.can_delete(comment, viewer):
        return _problem(
            request,
            article,
            comment,
            DiscussionError("This comment can no longer be deleted from this browser."),
        )
    return render(
        request, "discussion/delete.html", {"comment": comment, "article": article}
    )


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, comment_id: int) -> HttpResponseBase:
    """Report a comment to the moderators."""
    comment = _comment(request, comment_id)
    article = discussed(comment.thread.page)
    rules, _state = _context_state(request, article)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            viewer = identity.ensure_guest(request, identity.viewer_for(request))
            moderation.report_comment(
                comment=comment,
                viewer=viewer,
                rules=rules,
                reason=form.cleaned_data["reason"],
                ip=identity.client_ip(request),
            )
        except DiscussionError as error:
            return _problem(request, article, comment, error)
        response = see_other(f"{request.path}?{urlencode({'sent': 1})}")
        identity.remember_guest(response, viewer)
        return response
    if request.GET.get("sent") == "1":
        return render(
            request,
            "discussion/reported.html",
            {"article": article, "back": comment_url(article, comment.pk, request)},
        )
    return render(
        request,
        "discussion/report.html",
        {"form": form, "comment": comment, "article": article},
    )


@require_GET
def sort(request: HttpRequest, page_id: int, order: str) -> HttpResponseBase:
    """Remember the reader's sort order in a cookie and show the comments in it."""
    article = article_or_404(page_id)
    chosen = parse_order(order)
    response = HttpResponseRedirect(
        f"{article.get_url(request)}?{urlencode({'sort': chosen.value})}#comments"
    )
    response.set_cookie(
        conf.get("SORT_COOKIE"),
        chosen.value,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=False,
    )
    return response


def shares_public_copy(request: HttpRequest, scopes: Sequence[str]) -> bool:
    """pagecache sharer: whether a guest's copy of a page is the public one, i.e.
    they wrote nothing (held comments included) and voted nothing in its threads."""
    page_ids = [
        int(s.removeprefix(presenters.SCOPE))
        for s in scopes
        if s.startswith(presenters.SCOPE)
    ]
    viewer = identity.viewer_for(request)
    if not page_ids or not viewer.guest_token:
        return True
    return not selectors.has_stake(viewer, page_ids)


@require_GET
def fragment(request: HttpRequest, page_id: int) -> HttpResponseBase:
    """The list part of the comment section, for the script's sort and load-more."""
    article = article_or_404(page_id)
    context = presenters.thread_context(request, article)
    return TemplateResponse(request, "discussion/comment_list.html", context)


@require_GET
def replies(request: HttpRequest, page_id: int, comment_id: int) -> HttpResponseBase:
    """The replies of a folded conversation, for the script that opens it: the
    list its "View N replies" link stands for. Without the script the link
    goes to the page with the conversation open (its permalink)."""
    article = article_or_404(page_id)
    rows_html = presenters.conversation_replies(request, article, comment_id)
    if rows_html is None:
        raise Http404("No such conversation.")
    return TemplateResponse(
        request,
        "discussion/replies.html",
        {
            "rows_html": rows_html,
            "root": comment_id,
        },
    )
