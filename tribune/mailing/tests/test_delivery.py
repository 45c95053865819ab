"""Delivery through a real SMTP server on loopback and django_tasks_db's worker."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from tribune.core import clock
from tribune.mailing import delivery, services
from tribune.mailing.models import OutboundEmail
from tribune.mailing.tests.conftest import SMTPServer
from tribune.mailing.tests.factories import queued_email

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutboundEmail.Status
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_worker_delivers_queued_mail_with_its_headers(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    email = queued_email(
        to="reader@example.org",
        subject="Neue Antwort: Brücke über den Fluss",
        text="Eine neue Antwort.\n.\nA line that starts with a dot above.",
    )
    assert smtp_settings.received == []
    assert run_worker() == 1
    [received] = smtp_settings.received
    message = received.message
    assert received.rcpt_tos == ["reader@example.org"]
    assert message["To"] == "reader@example.org"
    assert message["From"] == "Newsroom <newsroom@example.org>"
    assert message["Subject"] == "Neue Antwort: Brücke über den Fluss"
    assert message["Message-ID"] == email.message_id
    assert message["List-Unsubscribe"] == (
        f"<https://news.example.org/unsubscribe/{email.dedupe_key[6:]}/>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text.get_content().splitlines()[1] == "."
    assert "<blockquote>" in html.get_content()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 1)
    assert email.sent_at is not None


def test_smtp_down_for_ten_minutes_then_up_delivers_once(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    smtp_settings.stop()
    with time_machine.travel(T0, tick=False) as traveller:
        email = queued_email()
        failures = []
        while clock.now() < T0 + dt.timedelta(minutes=10):
            run_worker()
            email.refresh_from_db()
            assert email.status == Status.QUEUED
            failures.append(((clock.now() - T0).total_seconds(), email.attempts))
            traveller.move_to(email.next_attempt_at)
        assert "ConnectionRefusedError" in email.last_error
        # 60 s, then doubling: tries at 0, 1, 3 and 7 minutes fail.
        assert failures == [(0, 1), (60, 2), (180, 3), (420, 4)]
        smtp_settings.start()
        assert clock.now() == T0 + dt.timedelta(minutes=15)
        run_worker()
        traveller.shift(dt.timedelta(hours=3))
        delivery.sweep()
        run_worker()
    assert len(smtp_settings.received) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Status.SENT, 5, "")


def test_retries_stop_after_the_last_attempt(
    smtp_settings: SMTPServer, run_worker: Callable[[], int], settings: Any
) -> None:
    settings.MAILING_MAX_ATTEMPTS = 3
    smtp_settings.stop()
    with time_machine.travel(T0, tick=False) as traveller:
        email = queued_email()
        for _ in range(5):
            run_worker()
            traveller.shift(dt.timedelta(hours=1))
            delivery.sweep()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 3)


def test_a_refused_recipient_fails_at_once(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    def refuse() -> None:
        raise RuntimeError("no such mailbox")

    smtp_settings.on_rcpt = refuse  # aiosmtpd answers 500 to a failing hook
    email = queued_email()
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    assert email.last_error.startswith("500")
    assert smtp_settings.received == []


def test_queueing_the_same_key_twice_delivers_once(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    queued_email(to="reader@example.org", dedupe_key="reply:42")
    queued_email(to="reader@example.org", dedupe_key="reply:42")
    run_worker()
    queued_email(to="reader@example.org", dedupe_key="reply:42")
    run_worker()
    assert len(smtp_settings.received) == 1


def test_an_address_suppressed_after_queueing_gets_nothing(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    email = queued_email(to="reader@example.org")
    OutboundEmail.objects.filter(pk=email.pk).update(status=Status.QUEUED)
    services.record_bounce(email="reader@example.org", reason="bounce")
    run_worker()
    assert smtp_settings.received == []
    email.refresh_from_db()
    assert email.status == Status.SUPPRESSED


def test_an_erased_address_gets_none_of_its_pending_mail(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    queued_email(to="leaving@example.org")
    queued_email(to="staying@example.org")
    services.erase_address(email="leaving@example.org")
    run_worker()
    assert [r.rcpt_tos for r in smtp_settings.received] == [["staying@example.org"]]


def test_two_workers_on_one_message_send_it_once(
    smtp_settings: SMTPServer,
) -> None:
    email = queued_email()
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        from django.db import connection

        barrier.wait()
        try:
            outcomes.append(delivery.deliver(email_id=email.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(smtp_settings.received) == 1


def test_a_worker_that_lost_its_lease_does_not_hand_over(
    smtp_settings: SMTPServer, settings: Any
) -> None:
    """A worker stalled past its lease finds the row taken back and drops the
    message before the end-of-data line; the next worker delivers it once."""
    settings.MAILING_LEASE_SECONDS = 60
    email = queued_email()
    second: list[str] = []

    def stall_then_sweep() -> None:
        # Runs while the first worker waits for the answer to RCPT.
        from django.db import connection

        smtp_settings.on_rcpt = None
        try:
            with time_machine.travel(clock.now() + dt.timedelta(minutes=2)):
                delivery.sweep()
                second.append(delivery.deliver(email_id=email.pk))
        finally:
            connection.close()

    smtp_settings.on_rcpt = stall_then_sweep
    first = delivery.deliver(email_id=email.pk)
    assert (first, second) == ("skipped", ["sent"])
    assert len(smtp_settings.received) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 2)


def test_a_message_that_cannot_be_built_fails_without_retries(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    email = queued_email()
    # Only a direct write can store this; queue_email refuses it.
    OutboundEmail.objects.filter(pk=email.pk).update(
        headers={"X-Thread": "one\nBcc: victim@example.org"}
    )
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    assert email.last_error.startswith("BadHeaderError")
    assert smtp_settings.received == []


def test_an_address_suppressed_during_the_conversation_gets_nothing(
    smtp_settings: SMTPServer,
) -> None:
    """The bounce webhook fires while the worker talks to the server: the
    worker drops the message before the end-of-data line."""
    email = queued_email(to="reader@example.org")

    def bounce_now() -> None:
        from django.db import connection

        try:
            services.record_bounce(email="reader@example.org", reason="complaint")
        finally:
            connection.close()

    smtp_settings.on_rcpt = bounce_now
    assert delivery.deliver(email_id=email.pk) == Status.SUPPRESSED
    assert smtp_settings.received == []
    email.refresh_from_db()
    assert (email.status, email.handed_over_at) == (Status.SUPPRESSED, None)


def test_a_lost_answer_is_sent_again_and_counted_as_a_possible_duplicate(
    smtp_settings: SMTPServer, settings: Any
) -> None:
    """The server stores the message but its answer comes after the client gave
    up: the message may have arrived, and it is sent again rather than lost."""
    settings.EMAIL_TIMEOUT = 1
    email = queued_email()
    smtp_settings.on_data = lambda: time.sleep(2)
    assert delivery.deliver(email_id=email.pk) == Status.QUEUED
    email.refresh_from_db()
    assert (email.possible_duplicates, email.handed_over_at is not None) == (1, True)
    smtp_settings.on_data = None
    with time_machine.travel(email.next_attempt_at):
        assert delivery.deliver_due() == [Status.SENT]
    first, second = smtp_settings.received
    assert first.message["Message-ID"] == second.message["Message-ID"]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.possible_duplicates) == (
        Status.SENT,
        2,
        1,
    )


def test_a_lost_answer_on_the_last_attempt_is_unknown(
    smtp_settings: SMTPServer, settings: Any
) -> None:
    settings.EMAIL_TIMEOUT = 1
    settings.MAILING_MAX_ATTEMPTS = 1
    email = queued_email()
    smtp_settings.on_data = lambda: time.sleep(2)
    assert delivery.deliver(email_id=email.pk) == Status.UNKNOWN
    email.refresh_from_db()
    assert (email.status, email.possible_duplicates) == (Status.UNKNOWN, 0)


def test_an_answer_after_the_lease_was_taken_back_counts_no_duplicate(
    smtp_settings: SMTPServer, settings: Any
) -> None:
    """The sweeper took the row back while the worker waited for the answer;
    the answer then says the server has it, so no second copy goes out."""
    settings.MAILING_LEASE_SECONDS = 60
    email = queued_email()

    def sweep_later() -> None:
        from django.db import connection

        try:
            with time_machine.travel(clock.now() + dt.timedelta(minutes=2)):
                assert delivery.sweep().resent == 1
        finally:
            connection.close()

    smtp_settings.on_data = sweep_later
    assert delivery.deliver(email_id=email.pk) == Status.SENT
    assert delivery.deliver_due() == []
    email.refresh_from_db()
    assert (email.status, email.attempts, email.possible_duplicates) == (
        Status.SENT,
        1,
        0,
    )
    assert len(smtp_settings.received) == 1
