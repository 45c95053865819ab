"""Reader views of inline feedback: the no-JS paragraph form, a passage's comments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from tribune.core.converters import parse_id
from tribune.discussion import (
    comment_views,
    fragments,
    identity,
    inline_selectors,
    passages,
    selectors,
    tree,
    views,
)
from tribune.discussion.errors import (
    DiscussionError,
    OffensiveLanguageError,
    SpamSuspectedError,
)
from tribune.discussion.forms import CommentForm
from tribune.discussion.models import SiteCommentsMode
from tribune.discussion.services import posting
from tribune.discussion.submission import Fields, build_submission
from tribune.newsroom.models import DiscussedPage

MAX_IDS = 50
MAX_FOLD = 10_000


class PassageForm(CommentForm):
    """A comment on one whole paragraph, chosen among the paragraphs of a block."""

    paragraph = forms.ChoiceField(
        label=_("Paragraph"), widget=forms.RadioSelect, required=False
    )

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["paragraph"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = choices
        if len(choices) == 1:
            self.fields["paragraph"].initial = choices[0][0]
        del self.fields["parent"]


def _paragraphs(article: DiscussedPage, block: str) -> list[tuple[str, str]]:
    """The (id, text) of the non-empty paragraphs of `block`'s body block, or 404."""
    stream_id = block.split(".")[0]
    found = [
        (p.id, p.text)
        for p in passages.paragraphs_of_block(article.body, stream_id)
        if p.text.strip()
    ]
    if not found:
        raise Http404("No such paragraph.")
    return found


def _post_paragraph(
    request: HttpRequest, article: DiscussedPage, form: PassageForm
) -> HttpResponseBase | None:
    """Post the valid form's comment on its whole paragraph: the redirect to it,
    or None with the refusal added to the form."""
    data = form.cleaned_data
    try:
        form.check_bot_signals()
        submission = build_submission(
            request,
            thread=posting.get_or_create_thread(article=article),
            fields=Fields.from_form(data),
            quote=inline_selectors.whole_paragraph(
                article=article, block=data.get("paragraph", "")
            ),
        )
        comment = posting.post_comment(submission)
    except OffensiveLanguageError as error:
        form.ask_to_confirm(error)
        return None
    except DiscussionError as error:
        if isinstance(error, SpamSuspectedError) and error.code != "too_fast":
            form.refresh_token()
        field = "paragraph" if error.field == "passage" else error.field
        form.add_error(field if field in form.fields else None, error.message)
        return None
    verify = bool(data.get("verify_email"))
    return views.posted(request, article, comment, submission, verify=verify)


@require_http_methods(["GET", "POST"])
def passage_form(request: HttpRequest, page_id: int, block: str) -> HttpResponseBase:
    """Comment on a paragraph without JavaScript: pick it, write, post."""
    article = views.article_or_404(page_id)
    choices = _paragraphs(article, block)
    signed_in = identity.viewer_for(request).user_id is not None
    if request.method == "POST":
        form = PassageForm(request.POST, signed_in=signed_in, choices=choices)
        if form.is_valid():
            done = _post_paragraph(request, article, form)
            if done is not None:
                return done
    else:
        form = PassageForm(signed_in=signed_in, choices=choices, request=request)
        if block in dict(choices):
            form.fields["paragraph"].initial = block
    rules = selectors.get_settings_for_request(request)
    return render(
        request,
        "discussion/passage_form.html",
        {
            "form": form,
            "article": article,
            "open": selectors.get_state(article, rules) == SiteCommentsMode.OPEN,
            "request": request,
        },
        status=400 if form.errors else 409 if form.question else 200,
    )


@require_GET
def passage_comments(request: HttpRequest, page_id: int) -> HttpResponseBase:
    """The conversations of one passage (`?c=<id>&c=<id>`), for the marker's panel."""
    article = views.article_or_404(page_id)
    ids = [
        i
        for i in (parse_id(raw) for raw in request.GET.getlist("c")[:MAX_IDS])
        if i is not None
    ]
    viewer = identity.viewer_for(request)
    rules = selectors.get_settings_for_request(request)
    state = selectors.get_state(article, rules)
    if state == SiteCommentsMode.HIDDEN:
        raise Http404("Comments are hidden.")
    conversations = inline_selectors.list_conversations(
        article=article, comment_ids=ids, viewer=viewer
    )
    roots = comment_views.present(conversations, viewer, state=state, votes={})
    fragments.render_boxes(tree.walk(roots), state=state, request=request)
    return TemplateResponse(
        request,
        "discussion/passage_comments.html",
        {
            # A passage's conversations are short and shown whole: nothing folds.
            "rows": tree.flatten(roots, fold_after=MAX_FOLD),
            "article": article,
        },
    )
