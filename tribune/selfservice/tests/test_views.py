"""The pages of "Your page" through the test client, against the real database."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tribune.core import clock
from tribune.discussion import services as discussion
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, Status, Thread
from tribune.discussion.submission import Guest, Submission
from tribune.discussion.tests import factories as d
from tribune.funding import services as funding
from tribune.funding.tests import factories as f
from tribune.mailing.models import OutboundEmail, Suppression
from tribune.selfservice import identity
from tribune.selfservice.models import Erasure
from tribune.selfservice.tests.conftest import proved_client
from tribune.subscriptions.models import Subscription
from tribune.subscriptions.tests import factories as s

pytestmark = pytest.mark.django_db
ADA = "ada@example.org"
SCHEMA = Path(__file__).resolve().parents[1] / "your-data.schema.json"
START = "/me/"


def ada_comment(
    thread=None, body: str = "The bridge closes at nine.", **kwargs
) -> Comment:
    return discussion.post_comment(
        Submission(
            thread=thread or d.thread(),
            state="open",
            rules=d.rules(),
            viewer=d.guest_viewer(),
            body=body,
            guest=Guest(name="Ada Lovegood", email=ADA),
            ip="203.0.113.7",
            throttle=False,
            **kwargs,
        )
    )


def test_the_start_page_asks_for_an_address_and_every_page_links_to_it(home) -> None:
    response = Client().get(START)
    assert response.status_code == 200
    assert b'name="email"' in response.content
    assert f'href="{START}"'.encode() in Client().get("/").content


def test_a_known_and_an_unknown_address_get_the_same_answer_and_a_mail(home) -> None:
    ada_comment()
    known = Client().post(START, {"email": ADA})
    unknown = Client().post(START, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda r, e: r.content.decode().replace(e, "")  # noqa: E731
    assert strip(known, ADA) == strip(unknown, "nobody@example.org")
    assert OutboundEmail.objects.filter(recipient=ADA).count() == 1
    assert OutboundEmail.objects.filter(recipient="nobody@example.org").count() == 1
    [mail] = OutboundEmail.objects.filter(recipient=ADA)
    text = OutboundEmail.objects.get(recipient="nobody@example.org").text_body
    assert mail.text_body.split("/me/link/")[0] == text.split("/me/link/")[0]


def test_a_bad_address_is_a_form_error(home) -> None:
    response = Client().post(START, {"email": "not an address"})
    assert response.status_code == 400
    assert b"field--error" in response.content
    assert not OutboundEmail.objects.exists()


def test_links_are_limited_per_address_silently_and_per_network_openly(
    home, settings
) -> None:
    settings.SELFSERVICE_LINKS_PER_ADDRESS_PER_HOUR = 2
    settings.SELFSERVICE_LINKS_PER_IP_PER_HOUR = 4
    for _ in range(3):
        assert Client().post(START, {"email": ADA}).status_code == 200
    assert OutboundEmail.objects.filter(recipient=ADA).count() == 2
    assert Client().post(START, {"email": "bert@example.org"}).status_code == 200
    refused = Client().post(START, {"email": "carla@example.org"})
    assert refused.status_code == 429
    assert not OutboundEmail.objects.filter(recipient="carla@example.org").exists()
    # Another network is not refused.
    other = Client(REMOTE_ADDR="198.51.100.9").post(
        START, {"email": "carla@example.org"}
    )
    assert other.status_code == 200
    with time_machine.travel(clock.now() + dt.timedelta(hours=1, minutes=1)):
        assert Client().post(START, {"email": ADA}).status_code == 200
        assert OutboundEmail.objects.filter(recipient=ADA).count() == 3


def _secret() -> str:
    text = OutboundEmail.objects.order_by("-pk").first().text_body
    return text.split("/me/link/")[1].split("/")[0]


def test_a_link_opens_the_page_once_with_a_new_session_key(home) -> None:
    ada_comment()
    Client().post(START, {"email": ADA})
    secret = _secret()
    browser = Client()
    browser.get(START)
    url = reverse("selfservice:link", args=[secret])
    assert browser.get(url).status_code == 200  # a GET (a mail scanner) spends nothing
    before = browser.session.session_key
    response = browser.post(url)
    assert response.status_code == 302 and response["Location"] == START
    assert browser.session.session_key != before
    assert browser.session[identity.SESSION_KEY] == ADA
    page = browser.get(START)
    assert b"The bridge closes at nine." in page.content
    again = Client().post(url)
    assert again.status_code == 400
    assert b"used already" in again.content
    assert identity.SESSION_KEY not in Client().session


def test_a_link_expires_after_an_hour(home) -> None:
    Client().post(START, {"email": ADA})
    url = reverse("selfservice:link", args=[_secret()])
    with time_machine.travel(clock.now() + dt.timedelta(minutes=61)):
        response = Client().post(url)
    assert response.status_code == 400
    assert b"expired" in response.content
    assert (
        Client().post(reverse("selfservice:link", args=["made-up"])).status_code == 400
    )


def test_the_page_lists_only_the_readers_comments_subscriptions_and_gifts(home) -> None:
    thread = d.thread()
    ada_comment(thread)
    d.comment(in_thread=thread, body="Written by someone else.")
    s.confirmed(email=ADA, thread=thread)
    gift = f.donation("40", email=ADA, method="paypal", provider="paypal")
    funding.record_refund_total(
        provider="paypal",
        transaction_id=gift.transaction_id,
        refunded_total=Decimal("10"),
        currency="USD",
        occurred_at=clock.now(),
    )
    f.donation("15", email="bert@example.org")
    page = proved_client(ADA).get(START).content.decode()
    assert "The bridge closes at nine." in page
    assert "Written by someone else." not in page
    assert "New comments on" in page
    assert "40.00" in page
    assert "Partly refunded" in page and "10.00" in page
    assert "15.00" not in page


def test_someone_elses_comment_cannot_be_edited_or_deleted(home) -> None:
    other = d.comment(body="Not Ada's.")
    ada_comment()
    client = proved_client(ADA)
    assert client.get(reverse("selfservice:edit", args=[other.pk])).status_code == 404
    assert (
        client.post(
            reverse("selfservice:edit", args=[other.pk]), {"body": "Mine now"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("selfservice:delete", args=[other.pk])).status_code == 404
    )
    other.refresh_from_db()
    assert other.status == Status.APPROVED and other.body_markdown == "Not Ada's."


def test_a_comment_can_be_changed_within_the_window_and_deleted_after_it(home) -> None:
    mine = ada_comment()
    client = proved_client(ADA)
    response = client.post(
        reverse("selfservice:edit", args=[mine.pk]),
        {"body": "The bridge closes at ten."},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.body_markdown == "The bridge closes at ten." and mine.edited_at
    with time_machine.travel(clock.now() + dt.timedelta(hours=2)):
        late = client.post(
            reverse("selfservice:edit", args=[mine.pk]), {"body": "Too late"}
        )
        assert late.status_code == 400
        assert (
            client.post(reverse("selfservice:delete", args=[mine.pk])).status_code
            == 302
        )
    mine.refresh_from_db()
    assert mine.status == Status.DELETED
    assert Thread.objects.get(pk=mine.thread_id).comment_count == 0


def test_a_signed_in_account_sees_its_own_comments(home) -> None:
    user = d.user(email="carla@example.org", first_name="Carla")
    thread = d.thread()
    discussion.post_comment(
        Submission(
            thread=thread,
            state="open",
            rules=d.rules(),
            viewer=d.guest_viewer(),
            body="From my account.",
            user=user,
            throttle=False,
        )
    )
    client = Client()
    client.force_login(user)
    assert b"From my account." in client.get(START).content


def test_an_account_that_erases_itself_is_closed_and_can_still_undo_here(home) -> None:
    user = d.user(email="carla@example.org", first_name="Carla")
    discussion.post_comment(
        Submission(
            thread=d.thread(),
            state="open",
            rules=d.rules(),
            viewer=d.guest_viewer(),
            body="From my account.",
            user=user,
            throttle=False,
        )
    )
    client = Client()
    client.force_login(user)
    client.post(reverse("selfservice:erase"), {"comments": "remove", "confirm": "on"})
    user.refresh_from_db()
    assert (user.is_active, user.email, user.first_name) == (False, "", "")
    assert not user.has_usable_password()
    assert not Comment.objects.filter(author=user).exists()
    assert b"Undo the erasure" in client.get(START).content
    client.post(reverse("selfservice:undo"))
    user.refresh_from_db()
    assert (user.is_active, user.email, user.first_name) == (
        True,
        "carla@example.org",
        "Carla",
    )
    assert Comment.objects.get().author_id == user.pk
    assert Comment.objects.get().body_markdown == "From my account."


def test_a_staff_account_is_refused_and_nothing_changes(home) -> None:
    user = d.user(email="editor@example.org", is_staff=True)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("selfservice:erase"), {"comments": "remove", "confirm": "on"}
    )
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.is_active and user.email == "editor@example.org"
    assert not Erasure.objects.exists()


def test_subscriptions_stop_one_by_one_and_all_mail_stops_in_one_click(home) -> None:
    thread = d.thread()
    first = s.confirmed(email=ADA, thread=thread)
    s.confirmed(email=ADA, thread=d.thread())
    client = proved_client(ADA)
    client.post(reverse("selfservice:stop_subscription", args=[first.pk]))
    assert Subscription.objects.filter(email=ADA).count() == 1
    client.post(reverse("selfservice:mail"), {"action": "stop"})
    assert not Subscription.objects.filter(email=ADA).exists()
    assert Suppression.objects.filter(email=ADA).exists()
    assert b"sends no mail" in client.get(START).content
    # The reader can still ask for a link back to this page.
    Client().post(START, {"email": ADA})
    link = OutboundEmail.objects.get(recipient=ADA, subject="Your link to your page")
    assert link.status == OutboundEmail.Status.QUEUED
    client.post(reverse("selfservice:mail"), {"action": "resume"})
    assert not Suppression.objects.filter(email=ADA).exists()


def test_the_export_matches_the_documented_schema(home) -> None:
    thread = d.thread()
    mine = ada_comment(thread)
    reply = ada_comment(thread, body="And a reply.", parent_id=mine.pk)
    other = d.comment(in_thread=thread)
    discussion.vote(
        comment=other,
        viewer=Viewer(guest_token=mine.guest_token),
        value=-1,
        state="open",
    )
    s.confirmed(email=ADA, thread=thread)
    f.donation("40", email=ADA, fee=Decimal("1.50"), recurring=True)
    Client().post(START, {"email": ADA})
    response = proved_client(ADA).get(reverse("selfservice:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="your-data.json"'
    data = json.loads(response.content)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert {c["id"] for c in data["comments"]} == {mine.pk, reply.pk}
    assert data["votes"] == [
        {"comment_id": other.pk, "value": -1, "at": data["votes"][0]["at"]}
    ]
    assert data["gifts"][0]["amount"] == "40.00" and data["gifts"][0]["monthly"] is True
    assert "Your link to your page" in {m["subject"] for m in data["mail"]}
    # A wrong file fails the schema: the test can fail.
    data["gifts"][0]["amount"] = 40
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_pages_without_a_proved_address_send_the_reader_to_the_form(home) -> None:
    for name in ("export", "erase"):
        response = Client().get(reverse(f"selfservice:{name}"))
        assert response.status_code == 302 and response["Location"] == START


def test_the_page_costs_the_same_queries_for_one_or_many_comments(
    home, django_assert_num_queries
) -> None:
    thread = d.thread()
    ada_comment(thread)
    s.confirmed(email=ADA, thread=thread)
    f.donation("40", email=ADA)
    client = proved_client(ADA)
    client.get(START)
    # 10, and the donor's supporter badge choice.
    with django_assert_num_queries(11):
        client.get(START)
    for n in range(4):
        ada_comment(d.thread(), body=f"Another comment {n}.")
        f.donation("5", email=ADA)
    # New reports retire the site's cached navigation: warm it again.
    client.get(START)
    with django_assert_num_queries(11):
        assert b"Another comment 3." in client.get(START).content


def test_erasing_asks_for_confirmation_then_hides_the_reader_everywhere(home) -> None:
    thread = d.thread()
    mine = ada_comment(thread)
    article_url = thread.page.url
    guest = Client()
    assert b"Ada Lovegood" in guest.get(article_url).content  # now in the page cache
    client = proved_client(ADA)
    assert client.get(reverse("selfservice:erase")).status_code == 200
    unconfirmed = client.post(reverse("selfservice:erase"), {"comments": "anonymise"})
    assert unconfirmed.status_code == 400
    assert not Erasure.objects.exists()
    response = client.post(
        reverse("selfservice:erase"), {"comments": "anonymise", "confirm": "on"}
    )
    assert response.status_code == 302
    assert b"Ada Lovegood" not in guest.get(article_url).content
    assert b"The bridge closes at nine." in guest.get(article_url).content
    page = client.get(START).content
    assert b"Undo the erasure" in page
    client.post(reverse("selfservice:undo"))
    mine.refresh_from_db()
    assert mine.author_name == "Ada Lovegood"
    assert b"Ada Lovegood" in guest.get(article_url).content
    assert not Erasure.objects.exists()


def test_leaving_forgets_the_address_in_this_browser(home) -> None:
    client = proved_client(ADA)
    client.post(reverse("selfservice:leave"))
    assert b'name="email"' in client.get(START).content
