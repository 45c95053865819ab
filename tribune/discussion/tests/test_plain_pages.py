"""A plain page with a discussion (decision 0031): the same thread as a report's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tribune.discussion.models import Comment, Status, Thread
from tribune.discussion.tests import factories
from tribune.discussion.tests.test_views import form_data, html, post
from tribune.newsroom.models import CommentsMode
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


def _page(mode: str = CommentsMode.OPEN):
    factories.rules()
    page = newsroom.plain_page(title="Ask the editors", slug="ask", text="Ask away.")
    page.comments = mode
    page.save_revision().publish()
    return page


def test_an_open_plain_page_takes_comments_votes_and_replies(client) -> None:
    page = _page()
    assert 'id="comment-form"' in html(client.get(page.url))
    response = post(client, page, body="When is the next meeting?")
    assert response.status_code == 303
    comment = Comment.objects.get(body_markdown="When is the next meeting?")
    assert comment.thread.page_id == page.pk and comment.status == Status.APPROVED
    assert (
        response["Location"] == f"{page.url}?comment={comment.pk}#comment-{comment.pk}"
    )
    voter = Client()
    voted = voter.post(reverse("discussion:vote", args=[comment.pk]), {"value": "up"})
    assert voted.status_code == 303
    reply = post(Client(), page, body="Tuesday.", parent=str(comment.pk), key="b" * 32)
    assert reply.status_code == 303
    comment.refresh_from_db()
    assert comment.upvotes == 1
    shown = html(client.get(page.url))
    assert "When is the next meeting?" in shown and "Tuesday." in shown
    assert Thread.objects.get(page_id=page.pk).comment_count == 2
    state = voter.get(reverse("discussion:api_reader_state", args=[page.pk]))
    assert state.status_code == 200
    assert state.json()["votes"] == [{"comment": comment.pk, "value": 1}]


def test_a_plain_page_hides_its_discussion_by_default(client) -> None:
    factories.rules()
    page = newsroom.plain_page(title="About", slug="about")
    assert page.comments == CommentsMode.HIDDEN
    assert "comment-form" not in html(client.get(page.url))
    response = client.post(reverse("discussion:post", args=[page.pk]), form_data())
    assert response.status_code == 400
    assert not Comment.objects.exists()
    state = client.get(reverse("discussion:api_reader_state", args=[page.pk]))
    assert state.status_code == 404


def test_a_closed_plain_page_is_readable_and_refuses_new_comments(client) -> None:
    page = _page(CommentsMode.CLOSED)
    thread = factories.thread(page)
    factories.comment(in_thread=thread, body="Earlier words")
    shown = html(client.get(page.url))
    assert "Earlier words" in shown and 'id="comment-form"' not in shown
    assert post(client, page, body="Late").status_code == 400
    assert not Comment.objects.filter(body_markdown="Late").exists()


def test_pages_without_a_discussion_have_no_thread_to_post_to(client, home) -> None:
    factories.rules()
    response = client.post(reverse("discussion:post", args=[home.pk]), form_data())
    assert response.status_code == 404
