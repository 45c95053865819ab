"""The comment section hands its scripts every address and cookie name it needs.

discussion.js and inline.js write no path of their own, so a site served under a
script prefix (a proxy's /news/) posts, votes and lists where the server answers.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import get_script_prefix, resolve, set_script_prefix
from django.utils import translation

from tribune.discussion.templatetags.discussion_tags import (
    comment_word_forms,
    view_replies_forms,
)
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db
PREFIX = "/news"


def _section(page: str) -> dict[str, str]:
    tag = re.search(r"<section [^>]*data-discussion[ >][^>]*>", page)
    assert tag is not None
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', tag.group(0)))


def test_under_a_script_prefix_every_address_carries_it(settings) -> None:
    settings.CSRF_COOKIE_NAME = "newsroom_csrf"
    settings.DISCUSSION_SORT_COOKIE = "newsroom_sort"
    factories.rules()
    article = newsroom.article()
    # What WSGIHandler does for a request with SCRIPT_NAME (the test client does not).
    before = get_script_prefix()
    set_script_prefix(PREFIX)
    try:
        response = Client().get(article.url.removeprefix(PREFIX))
    finally:
        set_script_prefix(before)
    assert response.status_code == 200
    data = _section(response.content.decode())
    assert data["csrf-cookie"] == "newsroom_csrf"
    assert data["sort-cookie"] == "newsroom_sort"
    assert data["cookie-path"] == f"{PREFIX}/"
    addresses = {
        "api-comments": "api_thread",
        "api-passages": "api_passages",
        "passage-comments-url": "passage_comments",
        "list-url": "fragment",
        "api-me": "api_reader_state",
    }
    for attribute, name in addresses.items():
        assert data[attribute].startswith(f"{PREFIX}/"), attribute
        match = resolve(data[attribute].removeprefix(PREFIX))
        assert match.url_name == name
        assert match.kwargs == {"page_id": article.pk}
    # The vote address is made for id 0; the script puts the comment's id there.
    vote = data["api-vote"].removeprefix(PREFIX).replace("/0/", "/4711/")
    match = resolve(vote)
    assert (match.url_name, match.kwargs) == ("api_vote", {"comment_id": 4711})
    assert resolve(data["logout-url"].removeprefix(PREFIX)).url_name == "account_logout"
    assert data["js-cookie"] == settings.PAGECACHE_SCRIPT_COOKIE


def test_the_comment_count_has_a_live_region(client: Client) -> None:
    factories.rules()
    article = newsroom.article()
    page = client.get(article.url).content.decode()
    assert re.search(
        r'<p class="visually-hidden" role="status" data-discussion-count-status>',
        page,
    )


def test_the_bubble_carries_the_word_for_every_plural_category_of_the_language() -> (
    None
):
    with translation.override("uk"):
        forms = json.loads(comment_word_forms())
        expected = {
            "one": translation.ngettext("comment", "comments", 1),
            "few": translation.ngettext("comment", "comments", 3),
            "many": translation.ngettext("comment", "comments", 5),
        }
    assert {k: forms[k] for k in expected} == expected
    assert len(set(expected.values())) == 3  # three words, not one and "many"
    with translation.override("en"):
        assert json.loads(comment_word_forms()) == {
            "one": "comment",
            "other": "comments",
        }


def test_the_fold_link_carries_its_message_for_every_plural_category() -> None:
    singular, plural = "View %(counter)s reply", "View %(counter)s replies"
    with translation.override("uk"):
        forms = json.loads(view_replies_forms())
        expected = {
            "one": translation.ngettext(singular, plural, 1),
            "few": translation.ngettext(singular, plural, 3),
            "many": translation.ngettext(singular, plural, 5),
        }
    assert {k: forms[k] for k in expected} == expected
    assert len(set(expected.values())) == 3
    assert all("%(counter)s" in text for text in forms.values())
    with translation.override("de"):
        assert json.loads(view_replies_forms())["other"] == (
            "%(counter)s Antworten anzeigen"
        )
