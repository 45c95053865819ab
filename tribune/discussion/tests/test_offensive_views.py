"""The question before posting offensive text, through every door: the API's 409
and confirmed resend, the form without JavaScript, the paragraph form, and the
moderation queue's reason."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tribune.discussion import spam
from tribune.discussion.models import Comment, HeldReason, ModerationPolicy, Status
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db

RUDE = "Shut up, you stupid idiot."
CALM = "The footbridge reopened sooner than promised."


@pytest.fixture
def article():
    factories.rules()
    return newsroom.article()


def api_post(client, article, **fields):
    payload = {
        "body": RUDE,
        "name": "Tomas",
        "email": "tomas@example.org",
        "started": spam.issue_form_token(),
        "key": "k1",
        **fields,
    }
    response = client.post(
        reverse("discussion:api_thread", args=[article.pk]),
        json.dumps(payload),
        content_type="application/json",
    )
    return response.status_code, response.json()


def form_post(client, url, **fields):
    data = {
        "body": RUDE,
        "name": "Ada Reader",
        "email": "ada@example.org",
        "website": "",
        "key": "a" * 32,
        "started": spam.issue_form_token(),
        "nickname": "",
        **fields,
    }
    return client.post(url, data)


def test_api_asks_with_409_and_stores_nothing(client, article):
    status, data = api_post(client, article)
    assert status == 409
    assert data == {
        "error": {
            "code": "offensive_language",
            "message": data["error"]["message"],
            "confirm": "confirm_offensive",
        }
    }
    assert "rephrase" in data["error"]["message"]
    assert not Comment.objects.exists()


def test_api_confirmed_resend_is_held_with_the_reason(client, article):
    assert api_post(client, article)[0] == 409
    status, data = api_post(client, article, confirm_offensive=True)
    assert status == 201
    assert data["held"] is True
    assert data["comment"]["status"] == Status.PENDING
    comment = Comment.objects.get()
    assert comment.held_reason == HeldReason.OFFENSIVE
    # The reader is not told the score or the reason, only that it waits.
    assert "offensive" not in json.dumps(data).lower()


def test_api_calm_comment_is_published_without_a_question(client, article):
    status, data = api_post(client, article, body=CALM)
    assert status == 201
    assert data["held"] is False


def test_api_refuses_a_confirmation_that_is_not_a_boolean(client, article):
    status, data = api_post(client, article, confirm_offensive="yes please")
    assert status == 400
    assert data["error"]["code"] == "bad_type"
    assert data["error"]["field"] == "confirm_offensive"


def test_form_without_js_asks_keeps_the_text_and_then_holds(client, article):
    url = reverse("discussion:post", args=[article.pk])
    asked = form_post(client, url)
    assert asked.status_code == 409
    page = asked.content.decode()
    assert "Would you like to rephrase it?" in page
    assert "Shut up, you stupid idiot.</textarea>" in page
    assert 'name="confirm_offensive" value="1"' in page
    assert "Post anyway" in page and "Edit my comment" in page
    assert not Comment.objects.exists()
    posted = form_post(client, url, confirm_offensive="1")
    assert posted.status_code == 303
    comment = Comment.objects.get()
    assert (comment.status, comment.held_reason) == (
        Status.PENDING,
        HeldReason.OFFENSIVE,
    )


def test_form_without_js_shows_no_question_for_calm_text(client, article):
    response = client.get(article.url)
    page = response.content.decode()
    assert 'data-offensive-question role="alert" hidden' in page
    posted = form_post(client, reverse("discussion:post", args=[article.pk]), body=CALM)
    assert posted.status_code == 303


def test_question_escapes_the_kept_text(client, article):
    body = "<script>alert(1)</script> you stupid idiot"
    page = form_post(
        client, reverse("discussion:post", args=[article.pk]), body=body
    ).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; you stupid idiot" in page


def test_paragraph_form_without_js_asks_too(client, article):
    block = article.body[0].id
    url = reverse("discussion:passage", args=[article.pk, block])
    paragraph = f"{block}.0"
    asked = form_post(client, url, paragraph=paragraph)
    assert asked.status_code == 409
    assert "Post anyway" in asked.content.decode()
    posted = form_post(client, url, paragraph=paragraph, confirm_offensive="1")
    assert posted.status_code == 303
    assert Comment.objects.get().held_reason == HeldReason.OFFENSIVE


def test_moderation_queue_names_the_reason_and_score(admin_client):
    settings = factories.rules(offensive_words="dummkopf")
    thread = factories.thread()
    scored = factories.comment(
        in_thread=thread, settings=settings, body=RUDE, offensive_confirmed=True
    )
    listed = factories.comment(
        in_thread=thread,
        settings=settings,
        body="So ein DUMMKOPF.",
        offensive_confirmed=True,
    )
    page = admin_client.get(reverse("discussion_moderation:queue")).content.decode()
    assert page.count("Offensive language") >= 2
    assert f"Offensive language score {scored.offensive_score} of 100" in page
    assert "the site's word list matched “dummkopf”" in page
    assert listed.status == Status.PENDING


def test_held_for_another_reason_keeps_that_reason(client):
    settings = factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    comment = factories.comment(settings=settings, body=RUDE, offensive_confirmed=True)
    assert comment.held_reason == HeldReason.POLICY
    assert comment.offensive_score >= 80


def test_the_question_writes_nothing_to_the_database(client, article):
    api_post(client, article, body=CALM, key="warm")  # the thread exists
    with CaptureQueriesContext(connection) as seen:
        status, _data = api_post(client, article, key="k2")
    assert status == 409
    writes = [
        q["sql"]
        for q in seen.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert len(seen) <= 2


def test_queue_queries_do_not_grow_with_offensive_comments(admin_client):
    settings = factories.rules(offensive_words="dummkopf")
    thread = factories.thread()
    url = reverse("discussion_moderation:queue")

    def hold(n):
        for i in range(n):
            body = RUDE if i % 2 else f"So ein Dummkopf, Nummer {i}."
            factories.comment(
                in_thread=thread, settings=settings, body=body, offensive_confirmed=True
            )

    hold(1)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url)
    hold(6)
    with CaptureQueriesContext(connection) as seven:
        page = admin_client.get(url).content.decode()
    assert page.count('class="moderation__offensive"') == 7
    assert len(seven) == len(one)
