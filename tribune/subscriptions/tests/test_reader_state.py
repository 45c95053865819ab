"""The reader's own subscriptions in GET /api/threads/<id>/me (decision 0024)."""

import pytest
from django.test import Client
from django.urls import reverse

from tribune.discussion import spam
from tribune.discussion.tests import factories as discussion_factories
from tribune.newsroom.tests import factories as newsroom
from tribune.subscriptions import services
from tribune.subscriptions.models import Scope
from tribune.subscriptions.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(settings):
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    discussion_factories.rules()
    return newsroom.article()


def _me(article, client):
    url = reverse("discussion:api_reader_state", args=[article.pk])
    return client.get(url).json()


def _guest_who_commented(article, email):
    guest = Client()
    response = guest.post(
        reverse("discussion:post", args=[article.pk]),
        {
            "body": "Words",
            "name": "Ada",
            "email": email,
            "key": "k" * 32,
            "started": spam.issue_form_token(),
        },
    )
    assert response.status_code == 303
    return guest


def test_a_guest_sees_their_addresss_subscriptions_to_this_report(article):
    thread = discussion_factories.thread(article)
    guest = _guest_who_commented(article, "ada@example.org")
    factories.confirmed(email="ada@example.org", thread=thread)
    services.subscribe(email="bo@example.org", scope=Scope.THREAD, thread=thread)
    other = discussion_factories.thread(newsroom.article())
    factories.confirmed(email="ada@example.org", thread=other)

    found = _me(article, guest)["subscriptions"]

    assert found == [
        {"scope": "thread", "delivery": "instant", "comment": None, "confirmed": True}
    ]


def test_a_pending_subscription_is_shown_as_unconfirmed(article):
    thread = discussion_factories.thread(article)
    guest = _guest_who_commented(article, "cy@example.org")
    services.subscribe(email="cy@example.org", scope=Scope.THREAD, thread=thread)
    [found] = _me(article, guest)["subscriptions"]
    assert found["confirmed"] is False


def test_a_reader_without_cookies_has_none(article):
    thread = discussion_factories.thread(article)
    factories.confirmed(email="ada@example.org", thread=thread)
    assert _me(article, Client())["subscriptions"] == []
