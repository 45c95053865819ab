"""The JSON API under /api/: thread pages, posting, editing, voting, counts.

Operations on django-ninja (decision 0015): their types are in schemas.py, and
/api/openapi.json is generated from both.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import Query
from ninja.responses import Status as WithStatus
from pydantic import WithJsonSchema
from wagtail.models import Page, Site

from tribune.core.api import CSRF_HEADER, Error, JsonApi, error_response
from tribune.discussion import api_payloads as payloads
from tribune.discussion import (
    badges,
    comment_views,
    fragments,
    identity,
    inline_selectors,
    policies,
    reader_state,
    schemas,
    selectors,
    spam,
    thread_pages,
    tree,
    verification,
)
from tribune.discussion.errors import DiscussionError, NotFoundError
from tribune.discussion.models import Comment, SiteCommentsMode, Status, Thread
from tribune.discussion.ranking import DEFAULT_ORDER, Order, parse_order
from tribune.discussion.services import moderation, posting, voting
from tribune.discussion.submission import Fields, Quote, build_submission
from tribune.newsroom.models import DISCUSSED_PAGE_TYPES

CURSOR_SALT = "discussion.cursor"

api = JsonApi(
    mount="/api/",
    refusals=(DiscussionError,),
    title="Tribune discussion API",
    version="1.0.0",
    description=(
        "Comments under reports. Readers are identified by their session "
        "(signed-in accounts) or by a signed guest cookie that the API sets "
        "on the first write. Errors always have the shape "
        '{"error": {"code": ..., "message": ...}}, with "field" when one '
        "input is at fault."
    ),
    urls_namespace="discussion",
)


def _answers(ok: int, schema: Any, *errors: int) -> dict[int, Any]:
    """An operation's documented answers: `ok` with `schema`, errors in the shape."""
    return {ok: schema, **dict.fromkeys(errors, Error)}


# Every write reads its body first: 413 and 415 come before any other check.
_WRITE_ERRORS = (400, 403, 404, 413, 415)
# Documented choices; any other order falls back to the default (parse_order).
_ORDERS = {
    "type": "string",
    "enum": [o.value for o in Order],
    "default": DEFAULT_ORDER.value,
}


def _comment(request: HttpRequest, comment_id: int) -> Comment:
    """The comment if policies.can_view_comment lets the reader see it, else 404."""
    return selectors.access_comment(
        comment_id=comment_id,
        viewer=identity.viewer_for(request),
        rules=selectors.get_settings_for_request(request),
    )


def _cursor(order: str, page_number: int) -> str:
    return signing.dumps({"o": order, "p": page_number}, salt=CURSOR_SALT)


def _read_cursor(cursor: str) -> tuple[Order, int]:
    try:
        data = signing.loads(cursor, salt=CURSOR_SALT)
        return parse_order(data["o"]), int(data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise DiscussionError(
            _("This cursor is not valid."), code="bad_cursor"
        ) from None


@api.get(
    "/threads/{id:page_id}/comments",
    response=_answers(200, schemas.ThreadPage, 400, 404),
    operation_id="listThreadPage",
    summary="One page of top-level comments with all their replies.",
    url_name="api_thread",
)
def list_thread_page(
    request: HttpRequest,
    page_id: int,
    sort: Annotated[str, WithJsonSchema(_ORDERS)] = DEFAULT_ORDER.value,
    cursor: Annotated[
        str | None, Query(description="next_cursor of the previous page.")
    ] = None,
) -> dict[str, Any]:
    """A page of the thread in the order asked for (cursor paging)."""
    article = selectors.get_public_article(page_id)
    viewer = identity.viewer_for(request)
    rules = selectors.get_settings_for_request(request)
    order, page_number = parse_order(sort), 1
    if cursor:
        order, page_number = _read_cursor(cursor)
    result = thread_pages.get_thread_page(
        article=article,
        viewer=viewer,
        rules=rules,
        order=order,
        page_number=page_number,
    )
    if result.state == SiteCommentsMode.HIDDEN:
        raise NotFoundError(_("Comments on this report are hidden."), code="hidden")
    badge_of = badges.badges_for(n.item for n in tree.walk(result.roots) if n.shown)
    return {
        "page": article.pk,
        "state": result.state.value,
        "count": result.count,
        "sort": order.value,
        "comments": [
            payloads.comment_tree(node, viewer, result.votes, result.state, badge_of)
            for node in result.roots
        ],
        "next_cursor": _cursor(order.value, page_number + 1)
        if result.has_more
        else None,
        "form_token": spam.issue_form_token(),
    }


@api.get(
    "/threads/{id:page_id}/me",
    response=_answers(200, schemas.ReaderState, 404),
    operation_id="getReaderState",
    summary="The reader's own state in a thread, for the shared page copy.",
    description=(
        "Votes, own comments (held ones included), what may still be edited and "
        "until when, the form identity and a CSRF token. Private to the reader: "
        "`Cache-Control: private, no-store`."
    ),
    url_name="api_reader_state",
)
def get_reader_state(
    request: HttpRequest, page_id: int, response: HttpResponse
) -> dict[str, Any]:
    """Everything personal the article page leaves out of its shared copy."""
    response["Cache-Control"] = "private, no-store"
    response["Vary"] = "Cookie"
    thread = selectors.get_public_thread(page_id)
    article = thread.page if thread else selectors.get_public_article(page_id)
    state = selectors.get_state(article, selectors.get_settings_for_request(request))
    if state == SiteCommentsMode.HIDDEN:
        raise NotFoundError(_("Comments on this report are hidden."), code="hidden")
    viewer = identity.viewer_for(request)
    own = reader_state.list_own_comments(viewer, page_id)
    votes = reader_state.list_votes(viewer, page_id)
    person = reader_state.get_form_identity(request, viewer, own)
    email = person["email"] if person else ""
    return {
        "page": page_id,
        "signed_in": viewer.user_id is not None,
        "identity": person,
        "subscriptions": reader_state.get_part("subscriptions", viewer, page_id, email),
        "votes": [{"comment": c, "value": v} for c, v in votes.items()],
        "comments": [
            o.as_json()
            for o in reader_state.present_own_comments(request, viewer, own, state)
        ],
        "csrf_token": get_token(request),
        "form_token": spam.issue_form_token(),
    }


def _quote(passage: schemas.Quote | None) -> Quote | None:
    """The optional "passage" of an inline comment: block, exact, prefix, suffix."""
    if passage is None:
        return None
    return Quote(
        passage.block or "",
        passage.exact or "",
        passage.prefix or "",
        passage.suffix or "",
    )


def _fields(data: schemas.NewComment) -> Fields:
    return Fields(
        body=data.body or "",
        name=data.name or "",
        email=data.email or "",
        website=data.website or "",
        parent_id=data.parent,
        key=data.key or "",
        notify=data.notify or "",
        confirm_offensive=data.confirm_offensive,
    )


def _thread_for_post(page_id: int) -> Thread:
    """The article's thread: remembered, or one query (two when new)."""
    thread = selectors.get_public_thread(page_id)
    if thread is None:
        article = selectors.get_public_article(page_id, fields=selectors.POST_FIELDS)
        thread = posting.get_or_create_thread(article=article)
    return thread


def _posted_html(
    request: HttpRequest, comment: Comment, viewer: identity.Viewer, state: str
) -> str:
    """The new comment as the thread shows it to its author."""
    node = comment_views.present_posted(comment, viewer, state)
    # The author's box is filled from a kept stand-in box of its shape
    # (fragments, decision 0037), not rendered from the template.
    rows = tree.flatten([node], fold_after=0)
    return fragments.render_rows(rows, state=state, request=request, focus=node.id)


@api.post(
    "/threads/{id:page_id}/comments",
    response=_answers(201, schemas.Posted, *_WRITE_ERRORS, 409, 429),
    operation_id="postComment",
    summary="Post a comment or a reply.",
    url_name="api_thread",
    openapi_extra=CSRF_HEADER,
)
def post_comment(
    request: HttpRequest,
    page_id: int,
    data: schemas.NewComment,
    response: HttpResponse,
) -> HttpResponse:
    """The comment, approved or held, its HTML and the thread's new count."""
    thread = _thread_for_post(page_id)
    if data.nickname:
        raise DiscussionError(code="honeypot")
    spam.check_form_token(data.started or "")
    submission = build_submission(
        request, thread=thread, fields=_fields(data), quote=_quote(data.passage)
    )
    comment = posting.post_comment(submission)
    viewer, state = submission.viewer, submission.state
    if data.verify_email and submission.user is None:
        verification.request_email_verification(
            email=comment.author_email,
            guest_token=comment.guest_token,
            base_url=settings.WAGTAILADMIN_BASE_URL,
        )
    identity.remember_guest(response, viewer)
    # A guest this request made (no cookie came) has verified no address from
    # its browser, so shows no badge: none is looked up (badges.badges_for).
    new_guest = viewer.user_id is None and viewer.guest_since is None
    body = {
        "comment": payloads.single_comment(
            comment, viewer, state, badged=not new_guest
        ),
        "html": _posted_html(request, comment, viewer, state),
        "count": thread.comment_count,
        "held": policies.apparent_status(comment) == Status.PENDING,
    }
    # Built from the comment's typed values: schemas.Posted, checked by a test.
    return api.answer(request, response, 201, body)


@api.get(
    "/threads/{id:page_id}/passages",
    response=_answers(200, schemas.Passages, 404),
    operation_id="listPassages",
    summary="Commented passages of a report (inline feedback).",
    url_name="api_passages",
)
def list_passages(request: HttpRequest, page_id: int) -> dict[str, Any]:
    """Anchored passages with the comments the reader sees, for the highlights
    and markers."""
    article = selectors.get_public_article(page_id)
    rules = selectors.get_settings_for_request(request)
    if selectors.get_state(article, rules) == SiteCommentsMode.HIDDEN:
        raise NotFoundError(_("Comments on this report are hidden."), code="hidden")
    found = inline_selectors.list_passages(
        article=article, viewer=identity.viewer_for(request)
    )
    return {"passages": [asdict(p) for p in found]}


@api.patch(
    "/comments/{id:comment_id}",
    response=_answers(200, schemas.CommentEnvelope, *_WRITE_ERRORS),
    operation_id="editComment",
    summary="Edit one's own comment within the edit window.",
    url_name="api_comment",
    openapi_extra=CSRF_HEADER,
)
def edit_comment(
    request: HttpRequest, comment_id: int, data: schemas.Edit
) -> dict[str, Any]:
    """The edited comment."""
    comment = _comment(request, comment_id)
    viewer = identity.viewer_for(request)
    rules = selectors.get_settings_for_request(request)
    state = selectors.get_state(comment.thread.page, rules)
    comment = posting.edit_comment(
        comment=comment, viewer=viewer, body=data.body or "", rules=rules
    )
    return {"comment": payloads.single_comment(comment, viewer, state)}


@api.delete(
    "/comments/{id:comment_id}",
    response=_answers(200, schemas.CommentEnvelope, 403, 404, 413, 415),
    operation_id="deleteComment",
    summary="Delete one's own comment within the edit window.",
    url_name="api_comment",
    openapi_extra=CSRF_HEADER,
)
def delete_comment(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    """The deleted comment (a placeholder when it has replies)."""
    comment = _comment(request, comment_id)
    viewer = identity.viewer_for(request)
    rules = selectors.get_settings_for_request(request)
    state = selectors.get_state(comment.thread.page, rules)
    comment = posting.delete_comment(comment=comment, viewer=viewer)
    return {"comment": payloads.single_comment(comment, viewer, state)}


@api.post(
    "/comments/{id:comment_id}/vote",
    response=_answers(200, schemas.CommentEnvelope, *_WRITE_ERRORS, 429),
    operation_id="voteComment",
    summary="Vote up (1), down (-1) or withdraw (0).",
    url_name="api_vote",
    openapi_extra=CSRF_HEADER,
)
def vote(
    request: HttpRequest,
    comment_id: int,
    data: schemas.VoteValue,
    response: HttpResponse,
) -> dict[str, Any]:
    """The comment with fresh counters."""
    comment = _comment(request, comment_id)
    viewer = identity.ensure_guest(request, identity.viewer_for(request))
    rules = selectors.get_settings_for_request(request)
    state = selectors.get_state(comment.thread.page, rules)
    comment = voting.vote(
        comment=comment,
        viewer=viewer,
        value=data.value,
        state=state,
        rules=rules,
        ip=identity.client_ip(request),
    )
    identity.remember_guest(response, viewer)
    return {"comment": payloads.single_comment(comment, viewer, state, data.value)}


# The body is optional: no body is no reason.
_NO_REASON = schemas.Report()


@api.post(
    "/comments/{id:comment_id}/report",
    response=_answers(201, schemas.Reported, *_WRITE_ERRORS, 429),
    operation_id="reportComment",
    summary="Report a comment to the moderators.",
    url_name="api_report",
    openapi_extra=CSRF_HEADER,
)
def report(
    request: HttpRequest,
    comment_id: int,
    response: HttpResponse,
    data: schemas.Report = _NO_REASON,
) -> WithStatus[dict[str, Any]]:
    """Recorded for the moderators."""
    comment = _comment(request, comment_id)
    viewer = identity.ensure_guest(request, identity.viewer_for(request))
    rules = selectors.get_settings_for_request(request)
    moderation.report_comment(
        comment=comment,
        viewer=viewer,
        rules=rules,
        reason=data.reason or "",
        ip=identity.client_ip(request),
    )
    identity.remember_guest(response, viewer)
    return WithStatus(201, {"reported": comment.pk})


def _article_path(url: str, root_path: str) -> str:
    """The url_path of the article a path or full URL names."""
    try:
        path = urlsplit(url).path or "/"
        if "\x00" in path:  # no address holds it, and PostgreSQL refuses it
            raise ValueError(url)
    except ValueError:
        raise DiscussionError(
            _("%(url)s is not a URL.") % {"url": url[:200]},
            field="url",
            code="bad_url",
        ) from None
    return root_path + path.strip("/") + ("/" if path.strip("/") else "")


@api.get(
    "/counts",
    response=_answers(200, schemas.Counts, 400),
    operation_id="countComments",
    summary="Visible comment counts for many report URLs at once.",
    url_name="api_counts",
)
def counts(request: HttpRequest, query: Query[schemas.CountsQuery]) -> dict[str, Any]:
    """Counts by the URL as given, in a fixed number of queries."""
    site = Site.find_for_request(request)
    root_path = site.root_page.url_path if site else "/"
    wanted = {given: _article_path(given, root_path) for given in query.url}
    pages = dict(
        Page.objects.live()
        .public()
        .type(*DISCUSSED_PAGE_TYPES)
        .filter(url_path__in=set(wanted.values()))
        .values_list("url_path", "pk")
    )
    found = selectors.count_comments(pages.values())
    return {
        "counts": {
            given: found[pages[path]] if path in pages else None
            for given, path in wanted.items()
        }
    }


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Unknown API paths answer in JSON too, whatever the method."""
    return error_response("not_found", _("There is no such API endpoint."), 404)
