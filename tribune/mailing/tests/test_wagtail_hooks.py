"""The Mail menu: a read-only sent-mail log and an editable suppression list."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from tribune.mailing.models import OutboundEmail, Suppression
from tribune.mailing.tests.factories import SuppressionFactory, queued_email

pytestmark = pytest.mark.django_db
OUTBOX = "/admin/mailing/outbox/"
SUPPRESSIONS = "/admin/mailing/suppressions/"


@pytest.fixture
def staff_client() -> Client:
    user = get_user_model().objects.create_superuser("desk", "desk@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client


def _rows(response: Any) -> str:
    return response.content.decode()


def test_log_lists_mail_and_searches_by_recipient(
    staff_client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        queued_email(to=f"reader{n}@example.org")
    queued_email(to="needle@example.org", subject="Your confirmation")
    with django_assert_max_num_queries(10):
        listing = staff_client.get(OUTBOX)
    assert listing.status_code == 200
    assert "reader3@example.org" in _rows(listing)
    found = staff_client.get(OUTBOX, {"q": "NEEDLE@example"})
    assert "needle@example.org" in _rows(found)
    assert "reader3@example.org" not in _rows(found)


def test_log_filters_by_status(staff_client: Client) -> None:
    sent = queued_email(to="sent@example.org")
    queued_email(to="waiting@example.org")
    OutboundEmail.objects.filter(pk=sent.pk).update(
        status=OutboundEmail.Status.SENT, sent_at=sent.created_at
    )
    response = staff_client.get(OUTBOX, {"status": "sent"})
    assert "sent@example.org" in _rows(response)
    assert "waiting@example.org" not in _rows(response)


def test_log_shows_one_message_in_full(staff_client: Client) -> None:
    email = queued_email(text="Body of the <b>notice</b>")
    response = staff_client.get(f"{OUTBOX}inspect/{email.pk}/")
    assert response.status_code == 200
    assert email.message_id.strip("<>") in _rows(response)
    assert "Body of the &lt;b&gt;notice&lt;/b&gt;" in _rows(response)


def test_log_shows_how_often_a_message_may_have_been_duplicated(
    staff_client: Client,
) -> None:
    email = queued_email()
    OutboundEmail.objects.filter(pk=email.pk).update(possible_duplicates=2)
    page = _rows(staff_client.get(f"{OUTBOX}inspect/{email.pk}/"))
    assert "Possible duplicates" in page


def test_log_cannot_be_written_from_the_admin(staff_client: Client) -> None:
    email = queued_email()
    assert staff_client.get(f"{OUTBOX}new/").status_code in {302, 403}
    assert staff_client.get(f"{OUTBOX}edit/{email.pk}/").status_code in {302, 403}
    assert staff_client.post(f"{OUTBOX}delete/{email.pk}/").status_code in {302, 403}
    assert OutboundEmail.objects.filter(pk=email.pk).exists()
    assert f"{OUTBOX}new/" not in _rows(staff_client.get(OUTBOX))


def test_readers_cannot_see_the_mail_menu(client: Client) -> None:
    reader = get_user_model().objects.create_user("reader", "r@example.org", "pw")
    client.force_login(reader)
    for url in [OUTBOX, SUPPRESSIONS]:
        response = client.get(url)
        assert response.status_code in {302, 403}
        assert b"@example.org" not in response.content


def test_staff_suppress_an_address_by_hand(staff_client: Client) -> None:
    response = staff_client.post(
        f"{SUPPRESSIONS}new/",
        {"email": " Someone@Example.ORG ", "reason": "manual", "note": "by phone"},
    )
    assert response.status_code == 302
    suppression = Suppression.objects.get()
    assert suppression.email == "someone@example.org"
    assert suppression.reason == Suppression.Reason.MANUAL


def test_suppressing_an_address_twice_is_a_form_error(staff_client: Client) -> None:
    SuppressionFactory(email="someone@example.org")
    response = staff_client.post(
        f"{SUPPRESSIONS}new/", {"email": "SOMEONE@example.org", "reason": "manual"}
    )
    assert response.status_code == 200
    assert "already exists" in _rows(response)
    assert Suppression.objects.count() == 1


def test_suppression_list_searches_by_email(staff_client: Client) -> None:
    SuppressionFactory(email="findme@example.org")
    SuppressionFactory(email="other@example.org")
    response = staff_client.get(SUPPRESSIONS, {"q": "findme"})
    assert "findme@example.org" in _rows(response)
    assert "other@example.org" not in _rows(response)


def test_unknown_mail_offers_send_again_and_mark_as_sent(staff_client: Client) -> None:
    email = queued_email()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.UNKNOWN
    )
    page = _rows(staff_client.get(f"{OUTBOX}inspect/{email.pk}/"))
    assert f"{OUTBOX}retry/{email.pk}/" in page
    assert f"{OUTBOX}mark-sent/{email.pk}/" in page
    response = staff_client.post(f"{OUTBOX}mark-sent/{email.pk}/")
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    page = _rows(staff_client.get(f"{OUTBOX}inspect/{email.pk}/"))
    assert f"{OUTBOX}retry/{email.pk}/" not in page


def test_staff_send_a_failed_message_again(
    staff_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    email = queued_email()
    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{OUTBOX}retry/{email.pk}/")
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT


def test_sending_a_sent_message_again_is_refused_with_a_message(
    staff_client: Client,
) -> None:
    email = queued_email()
    response = staff_client.post(f"{OUTBOX}retry/{email.pk}/", follow=True)
    assert "only failed or unknown messages" in _rows(response)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED


def test_actions_need_post_and_the_change_permission(client: Client) -> None:
    email = queued_email()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.UNKNOWN
    )
    viewer = get_user_model().objects.create_user("viewer", "v@example.org", "pw")
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_outboundemail"])
    )
    client.force_login(viewer)
    assert client.get(f"{OUTBOX}inspect/{email.pk}/").status_code == 200
    refused = client.post(f"{OUTBOX}mark-sent/{email.pk}/")
    # Wagtail turns PermissionDenied into a redirect to the dashboard.
    assert (refused.status_code, refused.url) == (302, "/admin/")
    staff = get_user_model().objects.create_superuser("boss", "b@example.org", "pw")
    client.force_login(staff)
    assert client.get(f"{OUTBOX}mark-sent/{email.pk}/").status_code == 405
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.UNKNOWN
