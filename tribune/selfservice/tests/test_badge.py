"""The supporter badge choice on Your page: shown to donors only, changed by a
POST with its CSRF token, and only for the reader's own address."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tribune.funding import donor_selectors
from tribune.funding.tests import factories as f
from tribune.selfservice.tests.conftest import proved_client

pytestmark = pytest.mark.django_db
ADA = "ada@example.org"
URL = "/me/badge/"


def badge_form(client: Client) -> str:
    html = client.get("/me/").content.decode()
    return (
        html.split('id="me-badge"', 1)[1].split("</form>", 1)[0]
        if ('id="me-badge"' in html)
        else ""
    )


def test_a_donor_sees_the_choice_and_can_hide_and_show_the_badge(home) -> None:
    f.donation("10", email="Ada@Example.org")
    client = proved_client(ADA)
    assert 'value="0"' in badge_form(client)  # shown: the button hides it
    response = client.post(URL, {"show": "0"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert donor_selectors.badge_shown(ADA) is False
    assert 'value="1"' in badge_form(client)
    client.post(URL, {"show": "1"})
    assert donor_selectors.badge_shown(ADA) is True


def test_a_reader_without_gifts_is_not_offered_a_badge(home) -> None:
    assert badge_form(proved_client(ADA)) == ""


def test_the_choice_is_only_for_the_proved_address(home) -> None:
    f.donation("10", email=ADA)
    f.donation("10", email="bert@example.org")
    proved_client("bert@example.org").post(URL, {"show": "0"})
    assert donor_selectors.badge_shown(ADA) is True
    # Without a proved address: to the form, nothing changes.
    response = Client().post(URL, {"show": "0"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "selfservice:start"
    )
    assert donor_selectors.badge_shown(ADA) is True


def test_the_choice_needs_the_csrf_token_and_a_post(home) -> None:
    f.donation("10", email=ADA)
    client = proved_client(ADA)
    client.handler.enforce_csrf_checks = True
    assert client.post(URL, {"show": "0"}).status_code == 403
    assert client.get(URL).status_code == 405
    assert donor_selectors.badge_shown(ADA) is True


@pytest.mark.parametrize("value", ["", "yes", "\u202e1", "1" * 10_000])
def test_anything_but_show_1_hides(home, value) -> None:
    f.donation("10", email=ADA)
    client = proved_client(ADA)
    assert client.post(URL, {"show": value}).status_code == 302
    assert donor_selectors.badge_shown(ADA) is False


def test_the_data_download_carries_the_badge_choice(home) -> None:
    import json

    import jsonschema

    from tribune.selfservice.tests.test_views import SCHEMA

    f.donation("10", email=ADA)
    client = proved_client(ADA)
    export = reverse("selfservice:export")
    assert json.loads(client.get(export).content)["supporter_badge"] is None
    client.post(URL, {"show": "0"})
    data = json.loads(client.get(export).content)
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert data["supporter_badge"]["shown"] is False
    assert data["supporter_badge"]["chosen_at"]
