"""The moderators' list of erasures: dates only, and only for moderators."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tribune.discussion.tests import factories as d
from tribune.selfservice import services
from tribune.selfservice.identity import Person

pytestmark = pytest.mark.django_db
URL = "/admin/erasures/"


def test_moderators_see_when_an_erasure_happened_and_nothing_of_whom(home) -> None:
    assert reverse("selfservice_moderation:erasures") == URL
    d.comment(body="Written by a reader who leaves.")
    services.erase_person(person=Person(email="guest1@example.org"), comments="remove")
    moderator = d.user(is_staff=True)
    moderator.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(
            codename="change_comment", content_type__app_label="discussion"
        ),
    )
    client = Client()
    client.force_login(moderator)
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("<time ") == 1
    assert "guest1@example.org" not in text and "leaves" not in text


def test_readers_without_the_permission_are_refused(home) -> None:
    assert Client().get(URL).status_code == 302
    client = Client()
    client.force_login(d.user())
    assert client.get(URL).status_code in {302, 403}
