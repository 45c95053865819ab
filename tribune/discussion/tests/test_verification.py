"""Trust under "hold first-time guests" comes from proof, never from a typed address.

Through the test client: the form, the JSON API, and the mailed link.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from tribune.discussion import services, spam
from tribune.discussion.models import (
    Action,
    Comment,
    EmailVerification,
    HeldReason,
    ModerationPolicy,
    Status,
)
from tribune.discussion.tests import factories
from tribune.mailing.models import OutboundEmail
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db

KNOWN = "known@example.org"


@pytest.fixture
def article():
    factories.rules(moderation=ModerationPolicy.HOLD_FIRST_GUEST)
    return newsroom.article()


def api_post(client, article, email, **fields):
    body = {
        "body": fields.pop("body", "A point about the footbridge."),
        "name": "Kim Reader",
        "email": email,
        "started": spam.issue_form_token(),
        **fields,
    }
    return client.post(
        reverse("discussion:api_thread", args=[article.pk]),
        json.dumps(body),
        content_type="application/json",
    )


def form_post(client, article, email, **fields):
    data = {
        "body": "A point about the footbridge.",
        "name": "Kim Reader",
        "email": email,
        "website": "",
        "started": spam.issue_form_token(),
        "nickname": "",
        **fields,
    }
    return client.post(reverse("discussion:post", args=[article.pk]), data)


def approve_all():
    staff = factories.user(is_staff=True)
    services.moderate_comments(
        comment_ids=Comment.objects.filter(status=Status.PENDING).values_list(
            "pk", flat=True
        ),
        action=Action.APPROVE,
        moderator=staff,
    )


@pytest.fixture
def known_guest(article):
    """A browser whose comment with KNOWN was approved by a moderator."""
    client = Client()
    assert api_post(client, article, KNOWN).json()["held"] is True
    approve_all()
    return client


def test_typing_an_approved_guests_address_in_the_form_is_held(article, known_guest):
    form_post(Client(), article, KNOWN, body="Impostor writes this.")
    impostor = Comment.objects.get(body_markdown="Impostor writes this.")
    assert (impostor.status, impostor.held_reason) == (
        Status.PENDING,
        HeldReason.FIRST_GUEST,
    )


def test_the_held_answer_reveals_nothing_about_an_address(article, known_guest):
    known = api_post(Client(), article, KNOWN)
    unknown = api_post(Client(), article, "nobody-yet@example.org")
    assert known.status_code == unknown.status_code == 201
    assert known.json()["held"] is unknown.json()["held"] is True
    assert known.json()["comment"]["status"] == unknown.json()["comment"]["status"]


def test_the_browser_that_wrote_an_approved_comment_is_trusted(article, known_guest):
    # Whatever address it types now.
    assert api_post(known_guest, article, "other@example.org").json()["held"] is False


def test_a_signed_in_reader_is_trusted(article):
    client = Client()
    client.force_login(factories.user())
    response = client.post(
        reverse("discussion:api_thread", args=[article.pk]),
        json.dumps({"body": "From an account.", "started": spam.issue_form_token()}),
        content_type="application/json",
    )
    assert response.json()["held"] is False


def verification_link(address):
    mail = OutboundEmail.objects.filter(recipient=address).latest("id")
    found = re.search(r"https?://[^\s]+/comments/verify-email/[^\s]+/", mail.text_body)
    assert found is not None
    return found.group(0).removeprefix("http://testserver"), mail


def test_a_verified_address_trusts_the_browser_that_asked(article):
    asker = Client()
    first = api_post(asker, article, "Ver@Example.org", verify_email=True)
    assert first.json()["held"] is True
    link, mail = verification_link("ver@example.org")
    assert "Kim Reader" not in mail.text_body  # no typed text goes to the address
    # Opening the link (even in another browser, such as a mail app's) shows a
    # button; only pressing it verifies.
    opener = Client()
    assert opener.get(link).status_code == 200
    assert EmailVerification.objects.get().verified_at is None
    assert opener.post(link).status_code == 200
    # The held comment is published, and the asking browser is now trusted.
    held = Comment.objects.get(pk=first.json()["comment"]["id"])
    assert held.status == Status.APPROVED
    assert api_post(asker, article, "ver@example.org").json()["held"] is False
    # Typing the verified address in another browser still proves nothing.
    assert api_post(Client(), article, "ver@example.org").json()["held"] is True


def test_asking_through_the_form_mails_a_link(article):
    response = form_post(Client(), article, "form@example.org", verify_email="on")
    assert response.status_code == 303
    assert OutboundEmail.objects.filter(recipient="form@example.org").count() == 1


def test_a_second_request_within_ten_minutes_mails_nothing_and_looks_the_same(
    article,
):
    first = api_post(Client(), article, "twice@example.org", verify_email=True)
    second = api_post(Client(), article, "twice@example.org", verify_email=True)
    assert first.status_code == second.status_code == 201
    assert first.json().keys() == second.json().keys()
    assert OutboundEmail.objects.filter(recipient="twice@example.org").count() == 1


def test_a_bad_link_is_refused(article):
    client = Client()
    path = reverse("discussion:verify_email", args=["not-a-token"])
    assert client.post(path).status_code == 400
    assert EmailVerification.objects.count() == 0


def test_verify_email_must_be_a_boolean(article):
    response = api_post(Client(), article, "x@example.org", verify_email="yes")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "verify_email"


def test_a_report_from_a_guest_who_verified_an_email_counts_at_once():
    from django.core import signing

    from tribune.core import clock
    from tribune.discussion import services, verification
    from tribune.discussion.identity import Viewer

    rules = factories.rules(reports_to_hide=5, report_min_guest_age_hours=24)
    comment = factories.comment(in_thread=factories.thread())
    fresh = Viewer(guest_token="v" * 32, guest_since=clock.now().timestamp())
    other = Viewer(guest_token="w" * 32, guest_since=clock.now().timestamp())
    request = verification.request_email_verification(
        email="ines@example.org", guest_token=fresh.guest_token, base_url="http://x"
    )
    verification.verify_guest_email(
        token=signing.dumps(request.pk, salt=verification.SALT)
    )
    verified = services.report_comment(comment=comment, viewer=fresh, rules=rules)
    unproved = services.report_comment(comment=comment, viewer=other, rules=rules)
    assert (verified.counted, unproved.counted) == (True, False)
