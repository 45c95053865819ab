"""Reader views of "Your page": ask for a link, open it, manage and erase.

Nothing changes on GET (mail scanners open every link); each change is a POST
from a form with its CSRF token.  Every page is private to its reader and never
cached.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tribune.discussion import identity as reader_identity
from tribune.discussion import selectors as discussion_selectors
from tribune.discussion.errors import DiscussionError
from tribune.newsletter import selectors as newsletter_selectors
from tribune.selfservice import conf, identity, selectors, services
from tribune.selfservice.errors import (
    NotYoursError,
    SelfServiceError,
    TooManyRequestsError,
)
from tribune.selfservice.forms import EditForm, EmailForm, EraseForm, NewsletterForm
from tribune.selfservice.identity import Person

View = Callable[..., HttpResponseBase]


def _with_person(view: View) -> View:
    """Views for a reader who proved an address; others go to the form."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        person = identity.person_for(request)
        if person is None:
            return redirect("selfservice:start")
        return view(request, person, *args, **kwargs)

    return never_cache(wrapped)


def _refused(request: HttpRequest, error: SelfServiceError) -> HttpResponse:
    return render(
        request,
        "selfservice/problem.html",
        {"message": error.message},
        status=error.status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def your_page(request: HttpRequest) -> HttpResponse:
    """The page of a proved reader, or the form that mails the link.

    The answer to the form is the same for every address.
    """
    person = identity.person_for(request)
    if person is not None and request.method == "GET":
        return render(
            request, "selfservice/page.html", {"o": selectors.get_overview(person)}
        )
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.request_link(email=email, ip=reader_identity.client_ip(request))
        except TooManyRequestsError as error:
            form.add_error(None, error.message)
            return render(request, "selfservice/start.html", {"form": form}, status=429)
        return render(request, "selfservice/sent.html", {"email": email})
    status = 400 if form.errors else 200
    return render(request, "selfservice/start.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def open_link(request: HttpRequest, secret: str) -> HttpResponse:
    """A GET shows one button; its POST spends the link and opens the page."""
    if request.method == "GET":
        return render(request, "selfservice/open.html")
    try:
        email = services.use_link(secret=secret)
    except SelfServiceError as error:
        reason = getattr(error, "reason", "unknown")
        return render(
            request, "selfservice/link_problem.html", {"reason": reason}, status=400
        )
    identity.remember(request, email)
    return redirect("selfservice:start")


@_with_person
@require_http_methods(["GET", "POST"])
def edit_comment(request: HttpRequest, person: Person, comment_id: int) -> HttpResponse:
    """Change one's comment within the edit window."""
    comment = selectors.get_own_comment(person, comment_id)
    if comment is None:
        return _refused(request, NotYoursError())
    form = EditForm(request.POST or None, initial={"body": comment.body_markdown})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(
                person=person,
                comment_id=comment_id,
                body=form.cleaned_data["body"],
                rules=discussion_selectors.get_settings_for_request(request),
            )
        except DiscussionError as error:
            form.add_error("body", error.message)
        else:
            messages.success(request, _("Your comment was changed."))
            return redirect("selfservice:start")
    status = 400 if form.errors else 200
    return render(
        request,
        "selfservice/edit.html",
        {"form": form, "comment": comment},
        status=status,
    )


@_with_person
@require_POST
def delete_comment(
    request: HttpRequest, person: Person, comment_id: int
) -> HttpResponse:
    """Delete one's comment, within the edit window or after it."""
    try:
        services.delete_comment(person=person, comment_id=comment_id)
    except SelfServiceError as error:
        return _refused(request, error)
    messages.success(request, _("Your comment was deleted."))
    return redirect("selfservice:start")


@_with_person
@require_POST
def stop_subscription(
    request: HttpRequest, person: Person, subscription_id: int
) -> HttpResponse:
    """Stop one subscription of the reader's address."""
    services.remove_subscription(person=person, subscription_id=subscription_id)
    messages.success(request, _("That subscription is stopped."))
    return redirect("selfservice:start")


@_with_person
@require_http_methods(["GET", "POST"])
def newsletter(request: HttpRequest, person: Person) -> HttpResponse:
    """Change what the reader's newsletter follows and how often."""
    subscriber = newsletter_selectors.get_subscriber(person.email)
    if subscriber is None:
        messages.info(request, _("This address does not get the newsletter."))
        return redirect("selfservice:start")
    form = NewsletterForm(
        request.POST or None, initial=NewsletterForm.initial_for(subscriber)
    )
    if request.method == "POST" and form.is_valid():
        services.change_newsletter(person=person, **form.choices())
        messages.success(request, _("Your newsletter choices were saved."))
        return redirect("selfservice:start")
    status = 400 if form.errors else 200
    return render(request, "selfservice/newsletter.html", {"form": form}, status=status)


@_with_person
@require_POST
def stop_newsletter(request: HttpRequest, person: Person) -> HttpResponse:
    """Stop the newsletter to the reader's address."""
    services.stop_newsletter(person=person)
    messages.success(request, _("The newsletter is stopped."))
    return redirect("selfservice:start")


@_with_person
@require_POST
def mail(request: HttpRequest, person: Person) -> HttpResponse:
    """Stop all mail from the site to the address, or let it come again."""
    if request.POST.get("action") == "resume":
        services.resume_mail(person=person)
        messages.success(request, _("This site may mail you again."))
    else:
        services.stop_all_mail(person=person)
        messages.success(request, _("This site sends you no more mail."))
    return redirect("selfservice:start")


@_with_person
@require_POST
def badge(request: HttpRequest, person: Person) -> HttpResponse:
    """Show or hide the supporter badge beside the reader's comments."""
    if services.choose_badge(person=person, shown=request.POST.get("show") == "1"):
        messages.success(request, _("Your comments show a supporter badge."))
    else:
        messages.success(request, _("Your comments show no supporter badge."))
    return redirect("selfservice:start")


@_with_person
@require_http_methods(["GET"])
def export(request: HttpRequest, person: Person) -> HttpResponse:
    """Everything held about the reader, as a JSON file."""
    data = selectors.build_export(person)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="your-data.json"'
    return response


@_with_person
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, person: Person) -> HttpResponse:
    """Ask, then erase what the site holds about the reader."""
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_person(person=person, comments=form.cleaned_data["comments"])
        except SelfServiceError as error:
            return _refused(request, error)
        # A closed account signs nobody in: the session keeps the address, so
        # this browser can still undo.
        identity.remember(request, person.email)
        messages.success(request, _("Your data was erased."))
        return redirect("selfservice:start")
    status = 400 if form.errors else 200
    return render(
        request,
        "selfservice/erase.html",
        {"form": form, "person": person, "days": conf.get("UNDO_DAYS")},
        status=status,
    )


@_with_person
@require_POST
def undo(request: HttpRequest, person: Person) -> HttpResponse:
    """Put back what the reader's erasures took, within their undo days."""
    if services.undo_erasures(person=person):
        messages.success(request, _("Your data is back."))
    return redirect("selfservice:start")


@never_cache
@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    """Forget the proved address in this browser."""
    identity.forget(request)
    return redirect("selfservice:start")
