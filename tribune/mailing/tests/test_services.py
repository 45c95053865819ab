"""Outbox services: queueing is idempotent and checked, suppression and erasure hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy

from tribune.mailing import services, signals
from tribune.mailing.models import OutboundEmail, SendAllowance, Suppression
from tribune.mailing.services import MailingError
from tribune.mailing.tests.factories import SuppressionFactory, queued_email

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status


def test_queued_mail_is_delivered_when_the_transaction_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email = queued_email(to="Reader@Example.org")
        assert mail.outbox == []
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.recipient == "reader@example.org"
    [message] = mail.outbox
    assert message.to == ["reader@example.org"]
    assert message.extra_headers["Message-ID"] == email.message_id
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )


def test_rolled_back_request_sends_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queued_email()
                raise RuntimeError("the view failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()


def test_same_key_for_same_recipient_is_queued_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = queued_email(to="a@example.org", dedupe_key="reply:7")
        again = queued_email(to="A@example.org", dedupe_key="reply:7", subject="x")
    assert again.pk == first.pk
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_same_key_for_another_recipient_is_another_mail() -> None:
    queued_email(to="a@example.org", dedupe_key="reply:7")
    queued_email(to="b@example.org", dedupe_key="reply:7")
    assert OutboundEmail.objects.count() == 2


def test_message_ids_are_unique_and_use_the_sender_domain(settings: Any) -> None:
    settings.DEFAULT_FROM_EMAIL = "Newsroom <desk@valley.example>"
    one, two = queued_email(), queued_email()
    assert one.message_id != two.message_id
    assert one.message_id.endswith("@valley.example>")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"to": "not-an-address"}, "not an email address"),
        ({"to": "a@example.org\nBcc: x@example.org"}, "not an email address"),
        ({"subject": "Hello\nBcc: x@example.org"}, "one non-empty line"),
        ({"subject": "  "}, "one non-empty line"),
        ({"dedupe_key": ""}, "dedupe_key"),
        ({"headers": {"X-Note": "a\r\nBcc: x@example.org"}}, "line break"),
        ({"headers": {"Bcc": "x@example.org"}}, "set by the outbox"),
        ({"headers": {"message-id": "<x@y>"}}, "set by the outbox"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_queued(
    overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(MailingError, match=message):
        queued_email(**overrides)
    assert not OutboundEmail.objects.exists()


def test_mail_to_a_suppressed_address_is_recorded_but_not_sent(
    django_capture_on_commit_callbacks: Any,
) -> None:
    SuppressionFactory(email="gone@example.org")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = queued_email(to="Gone@example.org")
    assert email.status == Status.SUPPRESSED
    assert callbacks == []
    assert mail.outbox == []


def test_suppressing_an_address_stops_its_queued_mail() -> None:
    email = queued_email(to="reader@example.org")
    services.suppress_address(email="READER@example.org", note="asked by phone")
    email.refresh_from_db()
    assert email.status == Status.SUPPRESSED
    assert Suppression.objects.get().email == "reader@example.org"


def test_bounce_hook_suppresses_with_the_reason() -> None:
    services.record_bounce(email="gone@example.org", reason="complaint")
    services.record_bounce(email="gone@example.org", reason="bounce")
    suppression = Suppression.objects.get()
    assert suppression.reason == Suppression.Reason.COMPLAINT


@pytest.mark.parametrize("reason", ["soft", "manual", ""])
def test_bounce_hook_accepts_only_hard_bounces_and_complaints(reason: str) -> None:
    with pytest.raises(MailingError, match="bounce"):
        services.record_bounce(email="gone@example.org", reason=reason)
    assert not Suppression.objects.exists()


def test_unsuppressing_lets_mail_through_again() -> None:
    services.record_bounce(email="back@example.org", reason="bounce")
    assert services.unsuppress_address(email="Back@example.org") == 1
    assert queued_email(to="back@example.org").status == Status.QUEUED


def test_erasing_an_address_deletes_its_mail_and_tells_other_apps() -> None:
    queued_email(to="leaving@example.org")
    queued_email(to="leaving@example.org")
    kept = queued_email(to="staying@example.org")
    services.suppress_address(email="leaving@example.org")
    services.allow_send(email="leaving@example.org", purpose="confirm")
    heard: list[str] = []

    def receiver(sender: Any, email: str, **kwargs: Any) -> None:
        heard.append(email)

    signals.address_erased.connect(receiver)
    try:
        deleted = services.erase_address(email="Leaving@Example.org")
    finally:
        signals.address_erased.disconnect(receiver)
    assert deleted == 2
    assert list(OutboundEmail.objects.all()) == [kept]
    assert heard == ["leaving@example.org"]
    assert not SendAllowance.objects.exists()
    # The address stays suppressed: erasure must not reopen the mailbox.
    assert Suppression.objects.filter(email="leaving@example.org").exists()


def test_a_failing_erasure_receiver_rolls_everything_back() -> None:
    queued_email(to="leaving@example.org")

    def receiver(sender: Any, email: str, **kwargs: Any) -> None:
        raise RuntimeError("subscriptions table is gone")

    signals.address_erased.connect(receiver)
    try:
        with pytest.raises(RuntimeError):
            services.erase_address(email="leaving@example.org")
    finally:
        signals.address_erased.disconnect(receiver)
    assert OutboundEmail.objects.count() == 1


def test_one_allowance_per_address_and_purpose_per_window() -> None:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        assert services.allow_send(email="a@example.org", purpose="confirm")
        assert not services.allow_send(email="A@example.org", purpose="confirm")
        assert services.allow_send(email="a@example.org", purpose="digest")
        assert services.allow_send(email="b@example.org", purpose="confirm")
        traveller.shift(dt.timedelta(minutes=59))
        assert not services.allow_send(email="a@example.org", purpose="confirm")
        traveller.shift(dt.timedelta(minutes=1))
        assert services.allow_send(email="a@example.org", purpose="confirm")
        assert not services.allow_send(email="a@example.org", purpose="confirm")


def test_failed_mail_can_be_sent_again_with_the_same_message_id(
    django_capture_on_commit_callbacks: Any,
) -> None:
    email = queued_email()
    OutboundEmail.objects.filter(pk=email.pk).update(status=Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_email(email=email)
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert mail.outbox[0].extra_headers["Message-ID"] == email.message_id


def test_sent_mail_cannot_be_sent_again() -> None:
    email = queued_email()
    with pytest.raises(MailingError, match="failed or unknown"):
        services.retry_email(email=email)


def test_unknown_mail_can_be_marked_as_sent() -> None:
    email = queued_email()
    OutboundEmail.objects.filter(pk=email.pk).update(status=Status.UNKNOWN)
    assert services.mark_email_sent(email=email).status == Status.SENT
    with pytest.raises(MailingError, match="only unknown"):
        services.mark_email_sent(email=email)


def test_lazy_translations_are_stored_as_text(settings) -> None:
    settings.MAILING_YOUR_PAGE_PATH = ""  # no footer: the body is what was given
    email = queued_email(subject=gettext_lazy("Confirm"), text=gettext_lazy("Body"))
    email.refresh_from_db()
    assert (email.subject, email.text_body) == ("Confirm", "Body")
