"""Bans in the posting and voting paths, through the test client."""

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tribune.core import clock
from tribune.discussion import bans, spam
from tribune.discussion.models import (
    Action,
    BanMode,
    Comment,
    HeldReason,
    ModerationAction,
    Status,
)
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    factories.rules()
    return newsroom.article()


@pytest.fixture
def moderator():
    return factories.user(is_staff=True)


def api_post(client, article, ip="192.0.2.10", email="troll@example.org", **fields):
    body = {
        "body": fields.pop("body", "Something to say."),
        "name": "Troll",
        "email": email,
        "started": spam.issue_form_token(),
        **fields,
    }
    return client.post(
        reverse("discussion:api_thread", args=[article.pk]),
        json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def form_post(client, article, ip="192.0.2.10", **fields):
    data = {
        "body": "Something to say in the form.",
        "name": "Troll",
        "email": "troll@example.org",
        "website": "",
        "started": spam.issue_form_token(),
        "nickname": "",
        **fields,
    }
    return client.post(
        reverse("discussion:post", args=[article.pk]), data, REMOTE_ADDR=ip
    )


def ban(moderator, mode=BanMode.REFUSE, **targets):
    return bans.ban_poster(
        moderator=moderator, reason="Campaign of abuse", mode=mode, **targets
    )


def test_refused_poster_gets_a_clear_json_error_and_nothing_is_stored(
    article, moderator
):
    ban(moderator, network="192.0.2.10")
    response = api_post(Client(), article)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "banned"
    assert not Comment.objects.exists()


def test_refused_poster_sees_the_error_in_the_form(article, moderator):
    ban(moderator, network="192.0.2.0/24")
    response = form_post(Client(), article, ip="192.0.2.99")
    assert response.status_code == 400
    assert "You cannot comment or vote here." in response.content.decode()
    assert not Comment.objects.exists()


def test_shadow_banned_poster_sees_their_comment_as_published(article, moderator):
    troll = Client()
    first = api_post(troll, article, body="Nobody else reads this.")
    factories.rules()
    token = Comment.objects.get().guest_token
    ban(moderator, mode=BanMode.SHADOW, guest_token=token)
    response = api_post(troll, article, body="Shadow held words.")
    assert response.status_code == first.status_code == 201
    assert response.json()["held"] is False
    assert response.json()["comment"]["status"] == "approved"
    stored = Comment.objects.get(body_markdown="Shadow held words.")
    assert (stored.status, stored.held_reason) == (Status.PENDING, HeldReason.BANNED)
    own = troll.get(article.url).content.decode()
    assert "Shadow held words." in own
    assert "Awaiting moderation" not in own
    assert "Shadow held words." not in Client().get(article.url).content.decode()


def test_a_ban_on_a_typed_email_never_refuses_a_guest_openly(article, moderator):
    # Refusing would tell anyone who types the address that it is banned.
    ban(moderator, email="Troll@Example.org")
    response = api_post(Client(), article)
    assert response.status_code == 201
    assert response.json()["held"] is False
    assert Comment.objects.get().held_reason == HeldReason.BANNED


def test_a_refused_account_is_refused(article, moderator):
    reader = factories.user()
    ban(moderator, user=reader)
    client = Client()
    client.force_login(reader)
    response = client.post(
        reverse("discussion:api_thread", args=[article.pk]),
        json.dumps({"body": "Hello.", "started": spam.issue_form_token()}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_an_ipv6_ban_covers_the_whole_64(article, moderator):
    ban(moderator, network="2001:db8:1:2::5")
    assert api_post(Client(), article, ip="2001:db8:1:2:ffff::1").status_code == 403
    assert api_post(Client(), article, ip="2001:db8:1:3::1").status_code == 201


def test_an_ipv4_cidr_ban_covers_its_range_only(article, moderator):
    ban(moderator, network="203.0.113.0/24")
    assert api_post(Client(), article, ip="203.0.113.200").status_code == 403
    assert api_post(Client(), article, ip="203.0.114.1").status_code == 201


def test_a_ban_ends_when_it_expires(article, moderator):
    ban(moderator, network="192.0.2.10", expires_at=clock.now() + dt.timedelta(days=1))
    assert api_post(Client(), article).status_code == 403
    with time_machine.travel(clock.now() + dt.timedelta(days=1, minutes=1)):
        response = api_post(Client(), article)
    assert response.status_code == 201
    assert Comment.objects.get().status == Status.APPROVED


def test_a_lifted_ban_stops_at_once_and_both_are_logged(article, moderator):
    made = ban(moderator, network="192.0.2.10")
    assert api_post(Client(), article).status_code == 403
    bans.lift_ban(ban=made, moderator=moderator)
    assert api_post(Client(), article).status_code == 201
    assert list(
        ModerationAction.objects.filter(ban=made)
        .order_by("id")
        .values_list("action", flat=True)
    ) == [Action.BAN, Action.UNBAN]


def test_a_refused_voter_gets_403_and_the_vote_is_not_counted(article, moderator):
    comment = factories.comment(in_thread=factories.thread(article))
    ban(moderator, network="192.0.2.0/24")
    response = Client().post(
        reverse("discussion:api_vote", args=[comment.pk]),
        json.dumps({"value": 1}),
        content_type="application/json",
        REMOTE_ADDR="192.0.2.50",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "banned"
    form = Client().post(
        reverse("discussion:vote", args=[comment.pk]),
        {"value": "up"},
        REMOTE_ADDR="192.0.2.50",
    )
    assert form.status_code == 403
    comment.refresh_from_db()
    assert comment.upvotes == 0


def test_a_shadow_banned_voters_vote_is_not_counted(article, moderator):
    comment = factories.comment(in_thread=factories.thread(article))
    ban(moderator, mode=BanMode.SHADOW, network="192.0.2.0/24")
    response = Client().post(
        reverse("discussion:api_vote", args=[comment.pk]),
        json.dumps({"value": 1}),
        content_type="application/json",
        REMOTE_ADDR="192.0.2.50",
    )
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.upvotes == 0
