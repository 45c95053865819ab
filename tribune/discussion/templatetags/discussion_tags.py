"""The comment section tag the site's article template places under an article."""

from __future__ import annotations

import functools
import json
from typing import Any

from babel import Locale
from django import template
from django.urls import get_script_prefix, reverse
from django.utils import translation

from tribune.core import pagecache, skeletons
from tribune.discussion import conf, presenters, selectors
from tribune.discussion.models import SiteCommentsMode

register = template.Library()


@register.inclusion_tag("discussion/thread.html", takes_context=True)
def discussion_thread(context: template.Context, page: Any) -> dict[str, Any]:
    """Render the comment section of `page` for the reader of this request.

    A refused comment form comes back in the page's context as
    `discussion_form` (views.post_comment), to be shown with its errors.
    """
    request = context["request"]
    found = presenters.thread_context(
        request, page, form=context.get("discussion_form")
    )
    if found["thread"].state != SiteCommentsMode.HIDDEN:
        # discussion.js fetches the reader's own state: the page can be shared.
        pagecache.mark(request, pagecache.SHARED_SCOPE)
    return found


@register.simple_tag(takes_context=True)
def comment_form(context: template.Context) -> str:
    """The comment form of the section: a guest's fresh form is the same for
    every reader but for its holes (token, key, form time), so it is rendered
    once per article, language and process (core/skeletons.py)."""
    form = context.get("form")
    assert context.template is not None  # noqa: S101  # only called while rendering
    form_template = context.template.engine.get_template("discussion/form.html")

    def render() -> str:
        return form_template.render(context)

    fresh = (
        form is not None
        and not form.is_bound
        and not form.signed_in
        and context.get("reply_to") is None
    )
    if not fresh:
        return render()
    article = context["article"]
    return skeletons.render_once(
        context.get("request"), f"discussion:form:{article.pk}", render
    )


def _render_kept(context: template.Context, name: str, key: str) -> str:
    """`name` rendered with the tag's own context, kept per process under `key`
    and the language (core/skeletons.py)."""
    assert context.template is not None  # noqa: S101  # only called while rendering
    kept = context.template.engine.get_template(name)
    return skeletons.render_once(
        context.get("request"), key, lambda: kept.render(context)
    )


@register.simple_tag(takes_context=True)
def thread_head(context: template.Context) -> str:
    """The section's opening (the count bubble, the section tag with the
    script's addresses and texts, the title): the same for every reader of the
    article while its count and state stay, so rendered once per process."""
    thread = context["thread"]
    key = (
        f"discussion:head:{context['article'].pk}:{thread.state}:{thread.count}:"
        f"{get_script_prefix()}"
    )
    return _render_kept(context, "discussion/thread_head.html", key)


@register.simple_tag(takes_context=True)
def inline_texts(context: template.Context) -> str:
    """The inline feedback's texts and script tags: the same on every page."""
    return _render_kept(context, "discussion/inline.html", "discussion:inline")


@register.inclusion_tag("discussion/passage_link.html", takes_context=True)
def passage_link(context: template.Context, page: Any, block_id: str) -> dict[str, Any]:
    """The "Comment on this paragraph" link under a body block, if comments are open."""
    request = context.get("request")
    show = False
    if request is not None and hasattr(page, "comments") and block_id:
        rules = selectors.get_settings_for_request(request)
        show = selectors.get_state(page, rules) == SiteCommentsMode.OPEN
    return {"show": show, "page": page, "block_id": block_id}


@register.simple_tag(takes_context=True)
def comments_state(context: template.Context, page: Any) -> str:
    """Whether the page's comments are open, closed or hidden: a `{% keep %}`
    around body blocks names it, since their passage links show only while open."""
    request = context.get("request")
    if request is None or not hasattr(page, "comments"):
        return ""
    rules = selectors.get_settings_for_request(request)
    return str(selectors.get_state(page, rules))


@register.simple_tag
def sort_cookie_name() -> str:
    """The cookie that remembers a reader's comment order (DISCUSSION_SORT_COOKIE)."""
    return str(conf.get("SORT_COOKIE"))


# A comment id no real comment has, swapped for the real one in a reversed address.
_SENTINEL = 2_147_483_629


@register.simple_tag
def comment_action(action: str, comment_id: int) -> str:
    """The address of `action` (vote, edit, delete, report) on a comment.

    Equal to {% url 'discussion:<action>' id %}, with reverse() run once per
    process instead of several times in each comment box of a long thread.
    """
    return _action_address(action, get_script_prefix()).format(int(comment_id))


@functools.lru_cache(maxsize=32)
def _action_address(action: str, script_prefix: str) -> str:
    # The prefix is in the key because reverse() starts from it.
    return reverse(f"discussion:{action}", args=[_SENTINEL]).replace(
        str(_SENTINEL), "{}"
    )


@register.simple_tag
def comment_word_forms() -> str:
    """The bubble's word for each plural category of the page's language, as JSON.

    The script picks one with Intl.PluralRules when the count changes: Ukrainian
    says 1 коментар, 3 коментарі, 5 коментарів, not just "one" and "many".
    """
    return _word_forms(translation.get_language() or "en", "comment", "comments")


@register.simple_tag
def view_replies_forms() -> str:
    """ "View N replies" (row.html's message, %(counter)s where the number goes)
    for each plural category of the page's language, as JSON: the live script
    counts a reply into a folded conversation's link."""
    return _word_forms(
        translation.get_language() or "en",
        "View %(counter)s reply",
        "View %(counter)s replies",
    )


@functools.lru_cache(maxsize=32)
def _word_forms(language: str, singular: str, plural: str) -> str:
    # Two hundred plural lookups per page otherwise; the catalogs are fixed for
    # the process's life, so the answer depends on the language alone.
    locale = Locale.parse(translation.to_locale(language))
    forms: dict[str, str] = {}
    for n in range(200):  # every CLDR category has a member below 200
        forms.setdefault(
            locale.plural_form(n), translation.ngettext(singular, plural, n)
        )
    return json.dumps(forms, ensure_ascii=False, sort_keys=True)
