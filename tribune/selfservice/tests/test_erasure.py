"""Erasure, undo and purge, checked in the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q, Sum

from tribune.core import clock
from tribune.discussion import services as discussion
from tribune.discussion.models import (
    Action,
    Comment,
    EmailVerification,
    ModerationAction,
    Report,
    Status,
    Thread,
    Vote,
)
from tribune.discussion.submission import Guest, Submission
from tribune.discussion.tests import factories as d
from tribune.funding.models import Donation, SupporterMessage
from tribune.funding.tests import factories as f
from tribune.mailing import services as mailing
from tribune.mailing.models import OutboundEmail
from tribune.selfservice import services
from tribune.selfservice.identity import Person
from tribune.selfservice.models import AccessLink, Erasure, PrivacySettings
from tribune.subscriptions.models import Subscription
from tribune.subscriptions.tests import factories as s

pytestmark = pytest.mark.django_db
ADA = "ada@example.org"


def _world():
    """Ada's comments, a vote and a report of hers, a reply by someone else,
    a subscription, a gift with a refund and a wall message, and mail."""
    rules = d.rules()
    thread = d.thread()
    ada = d.guest_viewer()
    mine = discussion.post_comment(
        Submission(
            thread=thread,
            state="open",
            rules=rules,
            viewer=ada,
            body="The bridge closes at nine.",
            guest=Guest(
                name="Ada Lovegood", email=ADA, website="https://ada.example.org"
            ),
            ip="203.0.113.7",
            throttle=False,
        )
    )
    other = d.comment(in_thread=thread, body="Thanks for the tip.")
    reply = d.comment(parent=mine, body="It opens at six.")
    discussion.vote(comment=other, viewer=ada, value=1, state="open")
    discussion.vote(comment=mine, viewer=d.guest_viewer(), value=1, state="open")
    discussion.report_comment(
        comment=other, viewer=ada, reason="off topic", rules=rules, ip="203.0.113.7"
    )
    EmailVerification.objects.create(email=ADA, guest_token=ada.guest_token)
    s.confirmed(email=ADA, thread=thread)
    gift = f.donation(
        "40",
        email="Ada@Example.org",
        public_name="Ada L.",
        message="Keep going",
        show_on_wall=True,
    )
    f.donation("15", email="bert@example.org")
    mailing.queue_email(to=ADA, subject="Hello", text="Hi", dedupe_key="hello")
    return thread, mine, other, reply, gift


def _ledger() -> tuple[Decimal, int]:
    return Donation.objects.aggregate(total=Sum("amount"))[
        "total"
    ], Donation.objects.count()


def _traces() -> list[str]:
    """Every place Ada's address, name, website or IP address could remain."""
    found = []
    if Comment.objects.filter(
        Q(author_email__iexact=ADA)
        | Q(author_name__icontains="Ada")
        | Q(author_website__icontains="ada")
        | Q(ip_address="203.0.113.7")
    ).exists():
        found.append("comment")
    if Report.objects.filter(network="203.0.113.7").exists():
        found.append("report")
    if EmailVerification.objects.filter(email=ADA).exists():
        found.append("verification")
    if Subscription.objects.filter(email=ADA).exists():
        found.append("subscription")
    if Donation.objects.filter(
        Q(email__iexact=ADA)
        | Q(public_name__icontains="Ada")
        | Q(message__icontains="Keep")
    ).exists():
        found.append("donation")
    if SupporterMessage.objects.filter(
        Q(public_name__icontains="Ada") | Q(message__icontains="Keep")
    ).exists():
        found.append("wall")
    if OutboundEmail.objects.filter(recipient=ADA).exists():
        found.append("mail")
    if AccessLink.objects.filter(email=ADA).exists():
        found.append("link")
    return found


def test_erasure_leaves_no_address_name_or_ip_of_the_person() -> None:
    _thread, mine, _other, reply, _gift = _world()
    services.erase_person(person=Person(email=ADA), comments="anonymise")
    assert _traces() == []
    mine.refresh_from_db()
    # Anonymised: the text stays, the person goes.
    assert (mine.body_markdown, mine.status) == (
        "The bridge closes at nine.",
        Status.APPROVED,
    )
    assert (mine.author_name, mine.guest_token) == ("Former reader", "")
    # Someone else's reply is untouched.
    reply.refresh_from_db()
    assert reply.author_email.startswith("guest")
    assert reply.body_markdown == "It opens at six."
    # The moderators' log says that it happened, not what.
    [entry] = ModerationAction.objects.filter(action=Action.ERASE)
    assert (entry.comment_id, entry.moderator_id, entry.note) == (None, None, "")


def test_erasure_keeps_counts_and_ledger_totals() -> None:
    thread, mine, other, _reply, gift = _world()
    totals = _ledger()
    count = Thread.objects.get(pk=thread.pk).comment_count
    reports = Comment.objects.get(pk=other.pk).report_count
    assert Report.objects.filter(comment=other).count() == 1
    services.erase_person(person=Person(email=ADA), comments="anonymise")
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.upvotes, other.upvotes, other.report_count) == (1, 1, reports)
    assert not Report.objects.filter(comment=other).exists()
    assert Vote.objects.filter(comment=other).count() == 0
    assert Vote.objects.filter(comment=mine).count() == 1  # someone else's vote
    assert Thread.objects.get(pk=thread.pk).comment_count == count
    assert _ledger() == totals
    assert Donation.objects.get(pk=gift.pk).amount == Decimal("40.00")


def test_removing_comments_blanks_them_and_lowers_the_thread_count() -> None:
    thread, mine, *_ = _world()
    before = Thread.objects.get(pk=thread.pk).comment_count
    services.erase_person(person=Person(email=ADA), comments="remove")
    mine.refresh_from_db()
    assert mine.status == Status.DELETED
    assert mine.body_markdown == mine.body_html == ""
    assert Thread.objects.get(pk=thread.pk).comment_count == before - 1
    assert _traces() == []


def test_undo_within_seven_days_puts_everything_back() -> None:
    thread, mine, other, _reply, gift = _world()
    count = Thread.objects.get(pk=thread.pk).comment_count
    services.erase_person(person=Person(email=ADA), comments="remove")
    with time_machine.travel(clock.now() + dt.timedelta(days=6, hours=23)):
        assert services.undo_erasures(person=Person(email=ADA)) == 1
    mine.refresh_from_db()
    assert (mine.author_name, mine.author_email, mine.ip_address) == (
        "Ada Lovegood",
        ADA,
        "203.0.113.7",
    )
    assert (
        mine.body_markdown == "The bridge closes at nine."
        and mine.status == Status.APPROVED
    )
    assert Thread.objects.get(pk=thread.pk).comment_count == count
    assert Vote.objects.filter(comment=other).count() == 1
    other.refresh_from_db()
    assert other.upvotes == 1  # counts were kept, the row came back
    assert (
        Subscription.objects.filter(email=ADA, confirmed_at__isnull=False).count() == 1
    )
    gift.refresh_from_db()
    assert (gift.email, gift.public_name, gift.message) == (
        "Ada@Example.org",
        "Ada L.",
        "Keep going",
    )
    assert SupporterMessage.objects.get(donation=gift).public_name == "Ada L."
    assert not Erasure.objects.exists()


def test_after_seven_days_the_worker_purges_and_undo_finds_nothing() -> None:
    _world()
    user = d.user(email=ADA, first_name="Ada", last_name="Lovegood")
    services.erase_person(
        person=Person(email=ADA, user_id=user.pk), comments="anonymise"
    )
    assert get_user_model().objects.get(pk=user.pk).is_active is False
    with time_machine.travel(clock.now() + dt.timedelta(days=7, minutes=1)):
        call_command("selfservice_purge")
        assert services.undo_erasures(person=Person(email=ADA)) == 0
    assert not Erasure.objects.exists()
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert _traces() == []


def test_purge_dry_run_changes_nothing() -> None:
    _world()
    services.erase_person(person=Person(email=ADA), comments="anonymise")
    with time_machine.travel(clock.now() + dt.timedelta(days=8)):
        call_command("selfservice_purge", "--dry-run")
    assert Erasure.objects.count() == 1


def test_staff_accounts_cannot_erase_themselves_here() -> None:
    with pytest.raises(services.NotAllowedError):
        services.erase_person(
            person=Person(email=ADA, user_id=1, is_staff=True), comments="remove"
        )


def test_ip_addresses_go_after_the_site_setting(home) -> None:
    _thread, mine, *_ = _world()
    settings_row = PrivacySettings.for_site(home.get_site())
    settings_row.ip_retention_days = 10
    settings_row.save()
    with time_machine.travel(clock.now() + dt.timedelta(days=9)):
        call_command("selfservice_purge")
    mine.refresh_from_db()
    assert mine.ip_address == "203.0.113.7"
    with time_machine.travel(clock.now() + dt.timedelta(days=10, minutes=1)):
        call_command("selfservice_purge")
    mine.refresh_from_db()
    assert mine.ip_address is None
    assert not Report.objects.exclude(network="").exists()


def test_ip_addresses_default_to_thirty_days() -> None:
    _thread, mine, *_ = _world()
    assert services.ip_retention_days() == 30
    with time_machine.travel(clock.now() + dt.timedelta(days=31)):
        assert services.forget_old_addresses(now=clock.now()) >= 1
    mine.refresh_from_db()
    assert mine.ip_address is None
