"""Presenters: what each displayed comment offers one reader, as typed views."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from tribune.discussion import comment_views, policies, presenters, thread_pages, tree
from tribune.discussion.forms import CommentForm
from tribune.discussion.identity import Viewer
from tribune.discussion.tests import factories

pytestmark = pytest.mark.django_db


def _forest(thread, viewer):
    page = thread_pages.get_thread_page(
        article=thread.page, viewer=viewer, rules=factories.rules()
    )
    return page.roots, page.votes


def test_each_comment_becomes_a_view_with_the_readers_own_flags() -> None:
    author = factories.guest_viewer()
    other = factories.guest_viewer()
    thread = factories.thread()
    mine = factories.comment(in_thread=thread, viewer=author)
    theirs = factories.comment(in_thread=thread, viewer=other)
    roots, votes = _forest(thread, author)

    views = {
        n.id: n.item
        for n in tree.walk(
            comment_views.present(roots, author, state=policies.OPEN, votes=votes)
        )
    }

    assert views[mine.pk].comment == mine
    assert (views[mine.pk].is_mine, views[mine.pk].may_edit) == (True, True)
    assert views[mine.pk].may_vote is False  # nobody votes on their own comment
    assert (views[theirs.pk].is_mine, views[theirs.pk].may_edit) == (False, False)
    assert views[theirs.pk].may_vote is True
    assert views[theirs.pk].may_reply is True


def test_a_closed_thread_offers_no_vote_and_no_reply() -> None:
    thread = factories.thread()
    comment = factories.comment(in_thread=thread)
    reader = factories.guest_viewer()
    roots, votes = _forest(thread, reader)

    (node,) = comment_views.present(roots, reader, state=policies.CLOSED, votes=votes)

    assert node.id == comment.pk
    assert (node.item.may_vote, node.item.may_reply) == (False, False)


def test_the_conversation_holding_the_permalinked_reply_is_marked() -> None:
    thread = factories.thread()
    first = factories.comment(in_thread=thread)
    reply = factories.comment(parent=first)
    second = factories.comment(in_thread=thread)
    reader = Viewer()
    roots, votes = _forest(thread, reader)

    presented = comment_views.present(
        roots, reader, state=policies.OPEN, votes=votes, focus=reply.pk
    )

    marked = {n.id: n.item.holds_focus for n in presented}
    assert marked == {first.pk: True, second.pk: False}


def test_a_refused_form_is_given_back_instead_of_a_fresh_one() -> None:
    article = factories.thread().page
    request = RequestFactory().get(article.url)
    refused = CommentForm({"body": ""}, signed_in=False)
    refused.is_valid()

    given = presenters.thread_context(request, article, form=refused)
    fresh = presenters.thread_context(request, article)

    assert given["form"] is refused
    assert fresh["form"] is not refused
    assert not fresh["form"].is_bound
