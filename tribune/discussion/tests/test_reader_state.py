"""GET /api/threads/<id>/me: one reader's own state, private to them (decision 0024)."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tribune.core import clock
from tribune.discussion import spam
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(settings):
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    factories.rules()
    return newsroom.article()


def me(article, client=None):
    response = (client or Client()).get(
        reverse("discussion:api_reader_state", args=[article.pk])
    )
    return response


def post(client, article, body, name="Ada", email="ada@example.org"):
    response = client.post(
        reverse("discussion:post", args=[article.pk]),
        {
            "body": body,
            "name": name,
            "email": email,
            "key": "k" * 32,
            "started": spam.issue_form_token(),
        },
    )
    assert response.status_code == 303


def test_a_reader_without_cookies_gets_an_empty_state_and_a_token(
    article, django_assert_num_queries
):
    factories.thread(article)
    me(article)  # the thread and settings are now in this process's memory
    with django_assert_num_queries(0):
        response = me(article)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    data = response.json()
    assert (data["votes"], data["comments"], data["identity"]) == ([], [], None)
    assert data["signed_in"] is False
    assert re.fullmatch(r"\w{64}", data["csrf_token"])
    assert "csrftoken" in response.cookies
    spam.check_form_token(data["form_token"])


def test_a_guest_who_voted_gets_their_votes_and_name(article):
    thread = factories.thread(article)
    liked = factories.comment(in_thread=thread, body="Good")
    disliked = factories.comment(in_thread=thread, body="Bad")
    guest = Client()
    guest.post(reverse("discussion:vote", args=[liked.pk]), {"value": "up"})
    guest.post(reverse("discussion:vote", args=[disliked.pk]), {"value": "down"})
    data = me(article, guest).json()
    assert sorted((v["comment"], v["value"]) for v in data["votes"]) == [
        (liked.pk, 1),
        (disliked.pk, -1),
    ]
    assert data["comments"] == []
    assert data["identity"] is None


def test_a_guest_with_a_held_comment_gets_it_marked_with_its_deadline(article):
    factories.rules(moderation="hold_all")
    guest = Client()
    post(guest, article, "My *held* words")
    data = me(article, guest).json()
    [own] = data["comments"]
    assert own["status"] == "pending"
    assert own["held"] is True
    assert "Awaiting moderation" in own["html"]
    assert "<em>held</em>" in own["html"]
    assert f'id="comment-{own["id"]}"' in own["html"]
    assert "/edit/" in own["html"]
    until = dt.datetime.fromisoformat(own["editable_until"])
    assert dt.timedelta(minutes=14) < until - clock.now() <= dt.timedelta(minutes=15)
    assert data["identity"] == {
        "name": "Ada",
        "email": "ada@example.org",
        "website": "",
    }


def test_a_comment_past_its_edit_window_has_no_deadline(article):
    guest = Client()
    post(guest, article, "Old words")
    later = clock.now() + dt.timedelta(hours=1)
    with time_machine.travel(later):
        [own] = me(article, guest).json()["comments"]
    assert own["editable_until"] is None
    assert "/edit/" not in own["html"]


def test_a_signed_in_reader_gets_their_account_identity(
    article, django_assert_max_num_queries
):
    reader = factories.user(first_name="Grace", last_name="Hopper")
    client = Client()
    client.force_login(reader)
    post(client, article, "Signed words")
    with django_assert_max_num_queries(6):
        data = me(article, client).json()
    assert data["signed_in"] is True
    assert data["identity"]["name"] == "Grace Hopper"
    assert data["identity"]["email"] == reader.email
    assert [c["status"] for c in data["comments"]] == ["approved"]


def test_another_readers_state_never_leaks(article):
    factories.rules(moderation="hold_all")
    author = Client()
    post(author, article, "Secret held words", name="Ada", email="ada@secret.org")
    thread = factories.thread(article)
    factories.rules()
    comment = factories.comment(in_thread=thread, body="Public")
    author.post(reverse("discussion:vote", args=[comment.pk]), {"value": "up"})
    other = Client()
    other.post(reverse("discussion:vote", args=[comment.pk]), {"value": "down"})
    data = me(article, other).json()
    text = str(data)
    assert "Secret held words" not in text
    assert "ada@secret.org" not in text
    assert data["votes"] == [{"comment": comment.pk, "value": -1}]
    # Comments of this thread only: the same reader's state elsewhere is apart.
    assert me(newsroom.article(), author).json()["comments"] == []


def test_a_forged_guest_cookie_is_no_one(article):
    client = Client()
    client.cookies["tribune_guest"] = "a" * 32
    data = me(article, client).json()
    assert (data["votes"], data["comments"], data["identity"]) == ([], [], None)


@pytest.mark.parametrize("page_id", ["999999", "99999999999999999999999", "abc"])
def test_unknown_threads_are_404_in_json(article, page_id):
    response = Client().get(f"/api/threads/{page_id}/me")
    assert response.status_code == 404
    assert "error" in response.json()


def test_a_thread_with_comments_hidden_is_404(article):
    article.comments = "hidden"
    article.save_revision().publish()
    response = me(article)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "hidden"


def test_writes_to_me_are_refused(article):
    response = Client().post(
        reverse("discussion:api_reader_state", args=[article.pk]),
        "{}",
        content_type="application/json",
    )
    assert response.status_code == 405


def test_an_api_write_from_another_site_is_refused(article):
    comment = factories.comment(in_thread=factories.thread(article))
    response = Client(enforce_csrf_checks=True).post(
        reverse("discussion:api_vote", args=[comment.pk]),
        '{"value": 1}',
        content_type="application/json",
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"


def test_the_token_from_me_lets_the_reader_write(article):
    comment = factories.comment(in_thread=factories.thread(article))
    browser = Client(enforce_csrf_checks=True)
    token = me(article, browser).json()["csrf_token"]
    response = browser.post(
        reverse("discussion:api_vote", args=[comment.pk]),
        '{"value": 1}',
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
