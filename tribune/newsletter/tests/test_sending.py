"""The send machine against the real database: pacing, other mail flowing,
unsubscribing and suppression mid-send, corrections, who triggers a send."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from tribune.core import clock
from tribune.mailing import delivery
from tribune.mailing import services as mailing
from tribune.mailing.models import OutboundEmail
from tribune.newsletter import sending, services
from tribune.newsletter.models import Delivery, Dispatch
from tribune.newsletter.tests.factories import subscriber
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status


def newsletter_rows() -> Any:
    return OutboundEmail.objects.filter(dedupe_key__startswith="newsletter:")


@pytest.fixture
def slow(settings: Any) -> None:
    settings.NEWSLETTER_RATE_PER_MINUTE = 20
    settings.NEWSLETTER_BATCH = 10


def test_a_send_keeps_to_the_batch_the_backlog_and_the_rate(slow: None) -> None:
    for n in range(30):
        subscriber(f"r{n}@example.org")
    newsroom.article(title="Paced")
    assert sending.pace().queued == 10
    assert sending.pace().queued == 0  # ten still wait in the outbox
    assert delivery.deliver_due() == [Status.SENT] * 10
    assert sending.pace().queued == 10
    delivery.deliver_due()
    assert sending.pace().queued == 0  # twenty this minute: the rate
    with time_machine.travel(clock.now() + dt.timedelta(seconds=61)):
        result = sending.pace()
        assert (result.queued, result.finished) == (10, [Dispatch.objects.get().pk])
        delivery.deliver_due()
    assert len({m.to[0] for m in mail.outbox}) == 30


def test_a_confirmation_asked_for_mid_send_waits_behind_one_batch_at_most(
    slow: None,
) -> None:
    for n in range(50):
        subscriber(f"r{n}@example.org")
    newsroom.article(title="Big send")
    sending.pace()
    services.request_signup(email="new@example.org", everything=True)
    outcomes = delivery.deliver_due(limit=11)
    assert outcomes == [Status.SENT] * 11
    assert "new@example.org" in {m.to[0] for m in mail.outbox}
    assert Delivery.objects.filter(state=Delivery.State.PENDING).count() == 40


def test_an_address_that_unsubscribes_mid_send_gets_nothing_more(slow: None) -> None:
    for n in range(20):
        subscriber(f"r{n:02}@example.org")
    newsroom.article(title="Mid-send")
    sending.pace()  # r00..r09 are in the outbox, r10..r19 wait
    assert services.unsubscribe(email="R03@example.org")
    assert services.unsubscribe(email="r15@example.org")
    assert not services.unsubscribe(email="r15@example.org")
    delivery.deliver_due()
    sending.pace()
    delivery.deliver_due()
    sent = {m.to[0] for m in mail.outbox}
    assert len(sent) == 18
    assert not {"r03@example.org", "r15@example.org"} & sent
    assert (
        newsletter_rows().get(recipient="r03@example.org").status == Status.SUPPRESSED
    )


def test_suppressed_addresses_are_skipped(slow: None) -> None:
    subscriber("bounced@example.org")
    subscriber("fine@example.org")
    mailing.record_bounce(email="bounced@example.org", reason="bounce")
    newsroom.article(title="Skips")
    result = sending.pace()
    assert (result.queued, result.skipped) == (1, 1)
    assert not newsletter_rows().filter(recipient="bounced@example.org").exists()


def test_a_correction_goes_to_those_who_got_the_report_marked_as_such(
    slow: None,
) -> None:
    subscriber("early@example.org")
    article = newsroom.article(title="Dam figures")
    sending.pace()
    subscriber("late@example.org")
    services.send_correction(
        article=article, note="The dam holds 4 million m³, not 40."
    )
    sending.pace()
    correction = newsletter_rows().get(subject="Correction: Dam figures")
    assert correction.recipient == "early@example.org"
    assert "CORRECTION: The dam holds 4 million m³, not 40." in correction.text_body
    with pytest.raises(services.NewsletterError):
        services.send_correction(article=article, note="  ")


def test_a_scheduled_report_goes_out_when_published_once(slow: None) -> None:
    subscriber("s@example.org")
    article = newsroom.article(title="Scheduled", publish=False)
    article.go_live_at = clock.now() + dt.timedelta(hours=1)
    article.save_revision().publish()
    assert not Dispatch.objects.exists()
    with time_machine.travel(clock.now() + dt.timedelta(hours=2)):
        call_command("publish_scheduled", verbosity=0)
        assert Dispatch.objects.filter(article=article).count() == 1
        sending.pace()
    assert newsletter_rows().get().subject == "Scheduled"


def test_a_report_published_from_the_command_line_goes_out_like_an_editors(
    slow: None,
) -> None:
    newsroom.home_page()
    subscriber("cli@example.org")
    call_command("demo_article", "--title", "From the shell", stdout=None)
    sending.pace()
    assert newsletter_rows().get().subject == "From the shell"


def test_erasing_an_address_forgets_the_subscriber() -> None:
    subscriber("gone@example.org")
    mailing.erase_address(email="gone@example.org")
    assert not services.unsubscribe(email="gone@example.org")
