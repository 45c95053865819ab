"""The JSON API under /api/: thread pages, posting, editing, voting, counts."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Site

from tribune.core.converters import MAX_ID
from tribune.discussion import (
    fragments,
    identity,
    inline_selectors,
    openapi,
    policies,
    presenters,
    selectors,
    spam,
    tree,
    verification,
)
from tribune.discussion.errors import (
    BodyTooLargeError,
    DiscussionError,
    InvalidReplyError,
    NotFoundError,
    UnsupportedMediaError,
)
from tribune.discussion.models import Comment, SiteCommentsMode, Status, Thread
from tribune.discussion.ranking import parse_order
from tribune.discussion.services import moderation, posting, voting
from tribune.discussion.submission import Fields, Quote, build_submission
from tribune.newsroom.models import ArticlePage

CURSOR_SALT = "discussion.cursor"
MAX_COUNT_URLS = 100

View = Callable[..., HttpResponse]


def error_response(
    code: str, message: str, status: int, field: str | None = None
) -> JsonResponse:
    """The API's one error shape: {"error": {"code", "message"[, "field"]}}."""
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if field:
        body["field"] = field
    return JsonResponse({"error": body}, status=status)


def _csrf_failure(request: HttpRequest) -> HttpResponse | None:
    """Run Django's CSRF check, answering a failure in the API's error shape."""
    check = CsrfViewMiddleware(lambda r: HttpResponse())
    rejected = check.process_view(request, lambda r: HttpResponse(), (), {})
    if rejected is None:
        return None
    return error_response(
        "csrf_failed",
        _("The request lacks a valid CSRF token; reload the page and try again."),
        403,
    )


def endpoint(*methods: str) -> Callable[[View], View]:
    """Allow `methods`, check CSRF on writes, and turn errors into JSON."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = error_response(
                    "method_not_allowed",
                    _("Use %(methods)s here.") % {"methods": ", ".join(methods)},
                    405,
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if request.method not in ("GET", "HEAD"):
                    # Before the CSRF check, which parses form bodies (and
                    # fails on a malformed multipart one).
                    _check_body(request)
                    failure = _csrf_failure(request)
                    if failure is not None:
                        return failure
                return view(request, *args, **kwargs)
            except DiscussionError as error:
                return error_response(
                    error.code, error.message, error.status, error.field
                )

        return wrapper

    return decorate


def _check_body(request: HttpRequest) -> None:
    """A write's body, if any, is JSON and within DATA_UPLOAD_MAX_MEMORY_SIZE."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise BodyTooLargeError() from None
    if raw and request.content_type != "application/json":
        raise UnsupportedMediaError()


def _json_body(request: HttpRequest) -> dict[str, Any]:
    _check_body(request)
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: arrays or objects nested thousands deep.
        raise DiscussionError(
            _("The body is not valid JSON."), code="bad_json"
        ) from None
    if not isinstance(data, dict):
        raise DiscussionError(_("The body must be a JSON object."), code="bad_json")
    return data


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DiscussionError(
            _("%(name)s must be a string.") % {"name": name},
            field=name,
            code="bad_type",
        )
    return value


def _article(page_id: int) -> ArticlePage:
    return selectors.get_public_article(page_id)


def _comment(request: HttpRequest, comment_id: int) -> Comment:
    """The comment if policies.can_view_comment lets the reader see it, else 404."""
    return selectors.access_comment(
        comment_id=comment_id,
        viewer=identity.viewer_for(request),
        rules=selectors.get_settings_for_request(request),
    )


def _serialise(
    node: tree.Node[Comment], viewer: identity.Viewer, votes: dict[int, int], state: str
) -> dict[str, Any]:
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
        "author": {"name": c.author_name, "website": c.author_website or None}
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
        "replies": [_serialise(child, viewer, votes, state) for child in node.children],
    }


def _single(
    comment: Comment, viewer: identity.Viewer, state: str, my_vote: int = 0
) -> dict[str, Any]:
    node = tree.Node(
        id=comment.pk,
        parent_id=comment.parent_id,
        name=comment.author_name,
        shown=policies.can_see(comment, viewer),
        item=comment,
        depth=comment.depth,
    )
    return _serialise(node, viewer, {comment.pk: my_vote}, state)


def _cursor(order: str, page_number: int) -> str:
    return signing.dumps({"o": order, "p": page_number}, salt=CURSOR_SALT)


@endpoint("GET", "POST")
def thread_comments(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET a page of a thread (cursor paging), or POST a new comment to it."""
    if request.method == "POST":
        return _post(request, page_id)
    page = _article(page_id)
    viewer = identity.viewer_for(request)
    rules = selectors.get_settings_for_request(request)
    order = parse_order(request.GET.get("sort"))
    page_number = 1
    if request.GET.get("cursor"):
        try:
            data = signing.loads(request.GET["cursor"], salt=CURSOR_SALT)
            order, page_number = parse_order(data["o"]), int(data["p"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise DiscussionError(
                _("This cursor is not valid."), code="bad_cursor"
            ) from None
    result = selectors.get_thread_page(
        page=page, viewer=viewer, rules=rules, order=order, page_number=page_number
    )
    if result.state == SiteCommentsMode.HIDDEN:
        raise NotFoundError(_("Comments on this report are hidden."), code="hidden")
    return JsonResponse(
        {
            "page": page.pk,
            "state": result.state.value,
            "count": result.count,
            "sort": order.value,
            "comments": [
                _serialise(node, viewer, result.votes, result.state)
                for node in result.roots
            ],
            "next_cursor": _cursor(order.value, page_number + 1)
            if result.has_more
            else None,
            "form_token": spam.issue_form_token(),
        }
    )


def _quote(data: dict[str, Any]) -> Quote | None:
    """The optional "passage" of an inline comment: block, exact, prefix, suffix."""
    raw = data.get("passage")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise DiscussionError(
            _("passage must be an object."), field="passage", code="bad_type"
        )
    return Quote(
        _text(raw, "block"),
        _text(raw, "exact"),
        _text(raw, "prefix"),
        _text(raw, "suffix"),
    )


def _thread_for_post(page_id: int) -> Thread:
    """The article's thread: remembered, or one query (two when new)."""
    thread = selectors.get_public_thread(page_id)
    if thread is None:
        page = selectors.get_public_article(page_id, fields=selectors.POST_FIELDS)
        thread = posting.get_or_create_thread(page=page)
    return thread


def _post(request: HttpRequest, page_id: int) -> HttpResponse:
    thread = _thread_for_post(page_id)
    data = _json_body(request)
    if _text(data, "nickname"):
        raise DiscussionError(code="honeypot")
    spam.check_form_token(_text(data, "started"))
    parent = data.get("parent")
    if parent is not None and (not isinstance(parent, int) or isinstance(parent, bool)):
        raise DiscussionError(
            _("parent must be a comment id."), field="parent", code="bad_type"
        )
    verify = data.get("verify_email", False)
    if not isinstance(verify, bool):
        raise DiscussionError(
            _("verify_email must be true or false."),
            field="verify_email",
            code="bad_type",
        )
    if parent is not None and not 0 < parent <= MAX_ID:
        raise InvalidReplyError(field="parent")
    fields = Fields(
        body=_text(data, "body"),
        name=_text(data, "name"),
        email=_text(data, "email"),
        website=_text(data, "website"),
        parent_id=parent,
        key=_text(data, "key"),
        notify=_text(data, "notify"),
    )
    quote = _quote(data)
    submission = build_submission(request, thread=thread, fields=fields, quote=quote)
    comment = posting.post_comment(submission)
    viewer, state = submission.viewer, submission.state
    if verify and submission.user is None:
        verification.request_email_verification(
            email=comment.author_email,
            guest_token=comment.guest_token,
            base_url=settings.WAGTAILADMIN_BASE_URL,
        )
    node = presenters.present_posted(comment, viewer, state)
    fragments.render_boxes([node], state=state, request=request, focus=comment.pk)
    html = render_to_string(
        "discussion/rows.html",
        {"rows": tree.flatten([node], fold_after=0), "focus": comment.pk},
        request=request,
    )
    response = JsonResponse(
        {
            "comment": _single(comment, viewer, state),
            "html": html,
            "count": thread.comment_count,
            "held": policies.apparent_status(comment) == Status.PENDING,
        },
        status=201,
    )
    identity.remember_guest(response, viewer)
    return response


@endpoint("GET")
def passages(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET the report's commented passages, for the highlights and markers."""
    page = _article(page_id)
    rules = selectors.get_settings_for_request(request)
    if selectors.get_state(page, rules) == SiteCommentsMode.HIDDEN:
        raise NotFoundError(_("Comments on this report are hidden."), code="hidden")
    found = inline_selectors.list_passages(
        page=page, viewer=identity.viewer_for(request)
    )
    return JsonResponse(
        {
            "passages": [
                {
                    "block": p.block,
                    "exact": p.exact,
                    "prefix": p.prefix,
                    "suffix": p.suffix,
                    "start": p.start,
                    "end": p.end,
                    "count": p.count,
                    "comments": p.comments,
                }
                for p in found
            ]
        }
    )


@endpoint("PATCH", "DELETE")
def comment_detail(request: HttpRequest, comment_id: int) -> HttpResponse:
    """PATCH {"body"} to edit one's own comment, DELETE to delete it."""
    comment = _comment(request, comment_id)
    viewer = identity.viewer_for(request)
    rules = selectors.get_settings_for_request(request)
    state = selectors.get_state(comment.thread.page, rules)
    if request.method == "DELETE":
        comment = posting.delete_comment(comment=comment, viewer=viewer)
    else:
        data = _json_body(request)
        comment = posting.edit_comment(
            comment=comment, viewer=viewer, body=_text(data, "body"), rules=rules
        )
    return JsonResponse({"comment": _single(comment, viewer, state)})


@endpoint("POST")
def vote(request: HttpRequest, comment_id: int) -> HttpResponse:
    """POST {"value": 1 | -1 | 0} to vote up, down, or withdraw."""
    comment = _comment(request, comment_id)
    data = _json_body(request)
    value = data.get("value")
    if not isinstance(value, int) or isinstance(value, bool):
        raise DiscussionError(
            _("value must be 1, -1 or 0."), field="value", code="bad_vote"
        )
    viewer = identity.ensure_guest(request, identity.viewer_for(request))
    rules = selectors.get_settings_for_request(request)
    state = selectors.get_state(comment.thread.page, rules)
    comment = voting.vote(
        comment=comment,
        viewer=viewer,
        value=value,
        state=state,
        rules=rules,
        ip=identity.client_ip(request),
    )
    response = JsonResponse({"comment": _single(comment, viewer, state, value)})
    identity.remember_guest(response, viewer)
    return response


@endpoint("POST")
def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    """POST {"reason"} to report a comment to the moderators."""
    comment = _comment(request, comment_id)
    data = _json_body(request)
    viewer = identity.ensure_guest(request, identity.viewer_for(request))
    rules = selectors.get_settings_for_request(request)
    moderation.report_comment(
        comment=comment,
        viewer=viewer,
        rules=rules,
        reason=_text(data, "reason"),
        ip=identity.client_ip(request),
    )
    response = JsonResponse({"reported": comment.pk}, status=201)
    identity.remember_guest(response, viewer)
    return response


@endpoint("GET")
def counts(request: HttpRequest) -> HttpResponse:
    """GET ?url=...&url=... (paths or full URLs): visible comment counts of reports."""
    urls = request.GET.getlist("url")
    if not urls:
        raise DiscussionError(_("Give at least one url parameter."), code="no_urls")
    if len(urls) > MAX_COUNT_URLS:
        raise DiscussionError(
            _("At most %(n)d urls at once.") % {"n": MAX_COUNT_URLS},
            code="too_many_urls",
        )
    site = Site.find_for_request(request)
    root_path = site.root_page.url_path if site else "/"
    wanted: dict[str, str] = {}
    for url in urls:
        try:
            path = urlsplit(url).path or "/"
        except ValueError:
            raise DiscussionError(
                _("%(url)s is not a URL.") % {"url": url[:200]},
                field="url",
                code="bad_url",
            ) from None
        wanted[url] = root_path + path.strip("/") + ("/" if path.strip("/") else "")
    pages = dict(
        ArticlePage.objects.live()
        .public()
        .filter(url_path__in=set(wanted.values()))
        .values_list("url_path", "pk")
    )
    found = selectors.count_comments(pages.values())
    return JsonResponse(
        {
            "counts": {
                url: found[pages[path]] if path in pages else None
                for url, path in wanted.items()
            }
        }
    )


@endpoint("GET")
def openapi_document(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 description of this API."""
    return JsonResponse(openapi.DOCUMENT, json_dumps_params={"indent": 2})


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Unknown API paths answer in JSON too, whatever the method."""
    return error_response("not_found", _("There is no such API endpoint."), 404)
