"""The moderation queue in the Wagtail admin; every view sits behind one staff check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tribune.core.converters import parse_id
from tribune.discussion import inline_selectors, selectors, services
from tribune.discussion.errors import DiscussionError
from tribune.discussion.models import Action, Comment, HeldReason, Status
from tribune.discussion.spamfilter import reasons

PERMISSION = "discussion.change_comment"
QUEUE_PAGE_SIZE = 50

View = Callable[..., HttpResponse]


def moderator_required(view: View) -> View:
    """The one staff check: signed in, active, allowed to change comments.

    Anonymous users go to the admin login; signed-in users without the
    permission get 403.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            login = reverse("wagtailadmin_login")
            return HttpResponseRedirect(f"{login}?{urlencode({'next': request.path})}")
        if not (user.is_active and user.has_perm(PERMISSION)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@dataclass(frozen=True)
class QueueRow:
    """A comment in the queue with the spam filter's score and reasons in words."""

    comment: Comment
    spam_score: float | None
    spam_reasons: list[str]
    suspected: bool


def _row(comment: Comment) -> QueueRow:
    return QueueRow(
        comment=comment,
        spam_score=comment.spam_score,
        spam_reasons=[
            reasons.describe(str(r.get("kind", "")), str(r.get("value", "")))
            for r in comment.spam_reasons or []
            if isinstance(r, dict)
        ],
        suspected=comment.status == Status.SPAM
        or comment.held_reason == HeldReason.SPAM_FILTER,
    )


class ModeratorEditForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Comment text (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the log (optional)"),
        required=False,
        max_length=300,
    )


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("discussion_moderation:queue")


@require_GET
@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    """Comments by status (tabs), optionally of one article or one author."""
    status = request.GET.get("status", Status.PENDING)
    if status not in Status.values:
        status = Status.PENDING
    thread_id = request.GET.get("thread") or None
    email = request.GET.get("email") or None
    by_score = request.GET.get("sort") == "score"
    listing = selectors.list_moderation_queue(
        status=status,
        thread_id=parse_id(thread_id),
        email=email,
        by_spam_score=by_score,
    )
    page = Paginator(listing, QUEUE_PAGE_SIZE).get_page(request.GET.get("p"))
    counts = selectors.count_by_status()
    tabs = [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Status.choices
    ]
    return render(
        request,
        "discussion/admin/queue.html",
        {
            "page_obj": page,
            "rows": [_row(c) for c in page],
            "sort": "score" if by_score else "",
            "tabs": tabs,
            "status": status,
            "thread_filter": thread_id,
            "email_filter": email,
            "actions": [
                (Action.APPROVE, _("Approve")),
                (Action.SPAM, _("Spam")),
                (Action.DELETE, _("Delete")),
                (Action.HOLD, _("Hold")),
            ],
            "here": request.get_full_path(),
        },
    )


def _wants_json(request: HttpRequest) -> bool:
    # The queue's keyboard script asks for JSON; plain forms get a redirect.
    return "application/json" in request.headers.get("Accept", "")


def _error(request: HttpRequest, code: str, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": {"code": code, "message": message}}, status=400)
    messages.error(request, message)
    return HttpResponseRedirect(_back(request))


def _ids(request: HttpRequest) -> list[int]:
    return [i for i in map(parse_id, request.POST.getlist("ids")) if i is not None]


@require_POST
@moderator_required
def act(request: HttpRequest) -> HttpResponse:
    """Approve, mark as spam, delete or hold the selected comments (one or many)."""
    ids = _ids(request)
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError:
        return _error(request, "bad_action", _("Choose an action."))
    if not ids:
        return _error(request, "no_selection", _("Select at least one comment."))
    try:
        changed = services.moderate_comments(
            comment_ids=ids,
            action=action,
            moderator=request.user,  # type: ignore[arg-type]
            note=request.POST.get("note", ""),
        )
    except DiscussionError as error:
        return _error(request, error.code or "invalid", error.message)
    text = _("%(action)s: %(n)d comment(s).") % {
        "action": action.label,
        "n": len(changed),
    }
    if _wants_json(request):
        return JsonResponse({"changed": [c.pk for c in changed], "message": text})
    messages.success(request, text)
    return HttpResponseRedirect(_back(request))


@require_POST
@moderator_required
def undo(request: HttpRequest) -> HttpResponse:
    """Put the given comments back in the status they had before the
    moderator's last action on them (the queue's `u` key)."""
    ids = _ids(request)
    if not ids:
        return _error(request, "no_selection", _("Select at least one comment."))
    restored = services.undo_moderation(
        comment_ids=ids,
        moderator=request.user,  # type: ignore[arg-type]
    )
    text = _("Undone: %(n)d comment(s).") % {"n": len(restored)}
    if _wants_json(request):
        return JsonResponse({"restored": [c.pk for c in restored], "message": text})
    messages.success(request, text)
    return HttpResponseRedirect(_back(request))


@require_http_methods(["GET", "POST"])
@moderator_required
def detail(request: HttpRequest, comment_id: int) -> HttpResponse:
    """One comment: its text, article, author history, log, and an edit form."""
    comment = get_object_or_404(
        Comment.objects.select_related("thread__page", "author", "parent"),
        pk=comment_id,
    )
    if request.method == "POST":
        form = ModeratorEditForm(request.POST)
        if form.is_valid():
            try:
                services.moderate_edit_comment(
                    comment=comment,
                    moderator=request.user,  # type: ignore[arg-type]
                    body=form.cleaned_data["body"],
                    note=form.cleaned_data["note"],
                )
            except DiscussionError as error:
                form.add_error("body", error.message)
            else:
                messages.success(request, _("Comment saved."))
                return HttpResponseRedirect(request.path)
    else:
        form = ModeratorEditForm(initial={"body": comment.body_markdown})
    return render(
        request,
        "discussion/admin/detail.html",
        {
            "comment": comment,
            "form": form,
            "history": selectors.list_author_history(comment, limit=20),
            "log": comment.moderation_actions.select_related("moderator")[:50],
            "reports": selectors.list_reports(comment),
            "actions": [
                (Action.APPROVE, _("Approve")),
                (Action.SPAM, _("Spam")),
                (Action.DELETE, _("Delete")),
                (Action.HOLD, _("Hold")),
            ],
            "here": request.path,
        },
    )


@require_GET
@moderator_required
def orphans(request: HttpRequest) -> HttpResponse:
    """Inline feedback whose passage an edit removed, with quote and article."""
    page = Paginator(inline_selectors.list_orphans(), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    return render(request, "discussion/admin/orphans.html", {"page_obj": page})


urlpatterns = [
    path("", queue, name="queue"),
    path("orphans/", orphans, name="orphans"),
    path("act/", act, name="act"),
    path("undo/", undo, name="undo"),
    path("<id:comment_id>/", detail, name="detail"),
]
