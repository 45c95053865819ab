"""Your page finds an account's comments by the account's address, whatever its
case, and for a guest who proved that address (confirmed accounts only)."""

from __future__ import annotations

import pytest

from tribune.discussion import services as discussion
from tribune.discussion.submission import Submission
from tribune.discussion.tests import factories as d
from tribune.selfservice import identity
from tribune.selfservice.tests.conftest import proved_client

pytestmark = pytest.mark.django_db
START = "/me/"


def account_comment(user, body: str) -> None:
    discussion.post_comment(
        Submission(
            thread=d.thread(),
            state="open",
            rules=d.rules(),
            viewer=d.guest_viewer(),
            body=body,
            user=user,
            throttle=False,
        )
    )


def test_a_signed_in_account_whose_address_differs_in_case_sees_its_comments(
    home,
) -> None:
    user = d.user(email="Carla.Mendes@Example.org", first_name="Carla")
    account_comment(user, "Written from my account.")
    client = proved_client("carla.mendes@example.org")
    client.force_login(user)
    page = client.get(START).content.decode()
    assert "Written from my account." in page


def test_a_guest_who_proves_an_accounts_address_sees_its_comments(home) -> None:
    user = d.user(email="Carla.Mendes@Example.org", first_name="Carla")
    account_comment(user, "Written from my account.")
    account_comment(d.user(email="dan@example.org"), "Someone else's.")
    page = proved_client("carla.mendes@example.org").get(START).content.decode()
    assert "Written from my account." in page
    assert "Someone else&#x27;s." not in page and "Someone else's." not in page


def test_an_unconfirmed_account_is_not_found_by_its_address(home) -> None:
    user = d.user(email="Carla@Example.org", first_name="Carla")
    account_comment(user, "Written from my account.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    page = proved_client("carla@example.org").get(START).content.decode()
    assert "Written from my account." not in page


def test_a_staff_account_found_by_its_address_stays_staff(home) -> None:
    d.user(email="Editor@Example.org", is_staff=True)
    client = proved_client("editor@example.org")
    request = client.get(START).wsgi_request
    person = identity.person_for(request)
    assert person is not None and person.is_staff and person.user_id is not None
