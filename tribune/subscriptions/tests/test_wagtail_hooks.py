"""Subscriptions in the Wagtail admin: listed, searchable by email, no adding."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tribune.discussion.tests import factories as discussion_factories
from tribune.subscriptions.models import Subscription
from tribune.subscriptions.tests import factories

pytestmark = pytest.mark.django_db
ADMIN = "/admin/reader-subscriptions/"


@pytest.fixture
def staff_client() -> Client:
    user = get_user_model().objects.create_superuser("desk", "desk@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client


def test_subscriptions_are_listed_and_searchable_by_email(
    staff_client, django_assert_max_num_queries
):
    discussion_factories.rules()
    thread = discussion_factories.thread()
    for n in range(12):
        factories.confirmed(email=f"reader{n}@example.org", thread=thread)
    factories.confirmed(email="needle@example.org", scope="my_replies")
    with django_assert_max_num_queries(25):
        listing = staff_client.get(ADMIN)
    assert listing.status_code == 200
    assert "reader3@example.org" in listing.content.decode()
    found = staff_client.get(ADMIN, {"q": "NEEDLE@example"}).content.decode()
    assert "needle@example.org" in found
    assert "reader3@example.org" not in found


def test_staff_can_remove_but_not_add_subscriptions(staff_client):
    subscription = factories.confirmed(email="a@example.org", scope="my_replies")
    assert staff_client.get(f"{ADMIN}new/").status_code in (302, 403)
    response = staff_client.post(f"{ADMIN}delete/{subscription.pk}/")
    assert response.status_code == 302
    assert not Subscription.objects.exists()


def test_readers_cannot_open_the_admin_list():
    client = Client()
    client.force_login(discussion_factories.user())
    assert client.get(ADMIN).status_code in (302, 403)
