"""Subscribing, confirming and notifying through the services (immediate tasks)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tribune.discussion import services as discussion
from tribune.discussion.models import Action, ModerationPolicy, Status
from tribune.discussion.submission import Submission
from tribune.discussion.tests import factories as discussion_factories
from tribune.mailing import services as mailing
from tribune.mailing.models import OutboundEmail
from tribune.subscriptions import notifications, services
from tribune.subscriptions.models import (
    Announcement,
    Delivery,
    DigestItem,
    Scope,
    Subscription,
)
from tribune.subscriptions.tests import factories

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def thread():
    discussion_factories.rules()
    return discussion_factories.thread()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run on-commit work (signals, task enqueueing) as a committed request would."""

    def run(fn, /, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = fn(*args, **kwargs)
        return result

    return run


def notices():
    return [m for m in mail.outbox if "confirm" not in m.subject.lower()]


def test_guest_subscription_waits_for_confirmation_and_mails_a_link(thread, commit):
    subscription = commit(
        services.subscribe,
        email=" Reader@Example.org ",
        scope=Scope.THREAD,
        thread=thread,
    )
    assert subscription.email == "reader@example.org"
    assert subscription.confirmed_at is None
    [message] = mail.outbox
    assert message.to == ["reader@example.org"]
    assert "/subscriptions/confirm/" in message.body
    assert thread.page.title in message.body
    assert services.confirm_address(email="reader@example.org") == 1
    subscription.refresh_from_db()
    assert subscription.is_confirmed


def test_signed_in_reader_is_subscribed_at_once_without_mail(thread, commit):
    user = discussion_factories.user(email="member@example.org")
    subscription = commit(
        services.subscribe,
        email=user.email,
        scope=Scope.THREAD,
        thread=thread,
        user=user,
    )
    assert subscription.is_confirmed
    assert mail.outbox == []


def test_one_confirmation_mail_per_address_per_hour_whatever_is_asked(thread, commit):
    other = discussion_factories.thread()
    with time_machine.travel(T0, tick=False) as traveller:
        commit(services.subscribe, email="a@example.org", scope="thread", thread=thread)
        commit(services.subscribe, email="a@example.org", scope="thread", thread=other)
        commit(services.subscribe, email="A@example.org", scope="my_replies")
        assert len(mail.outbox) == 1
        traveller.shift(dt.timedelta(minutes=61))
        commit(services.subscribe, email="a@example.org", scope="my_replies")
        assert len(mail.outbox) == 2
        # The later mail lists everything still waiting for confirmation.
        assert mail.outbox[1].body.count("\n- ") == 3
        assert services.confirm_address(email="a@example.org") == 3


def test_bad_address_and_scope_are_refused(thread):
    with pytest.raises(services.SubscriptionError) as error:
        services.subscribe(email="not-an-address", scope="thread", thread=thread)
    assert error.value.field == "email"
    with pytest.raises(services.SubscriptionError):
        services.subscribe(email="a@example.org", scope="thread")
    with pytest.raises(services.SubscriptionError):
        services.subscribe(
            email="a@example.org", scope="thread", thread=thread, delivery="weekly"
        )
    assert not Subscription.objects.exists()


def test_visible_comment_notifies_confirmed_subscribers_only(thread, commit):
    factories.confirmed(email="fan@example.org", thread=thread)
    commit(
        services.subscribe,
        email="unconfirmed@example.org",
        scope="thread",
        thread=thread,
    )
    mail.outbox.clear()
    comment = commit(factories.post, thread=thread, body="The *ferry* runs again.")
    [message] = mail.outbox
    assert message.to == ["fan@example.org"]
    assert thread.page.title in message.subject
    assert "The ferry runs again." in message.body
    assert f"?comment={comment.pk}#comment-{comment.pk}" in message.body
    assert f"?replyto={comment.pk}#comment-form" in message.body
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert "<em>ferry</em>" in html


def test_a_comment_nobody_follows_writes_no_announcement(thread, commit):
    factories.confirmed(email="fan@example.org", thread=discussion_factories.thread())
    commit(factories.post, thread=thread, body="Nobody follows this report.")
    assert not Announcement.objects.exists()
    factories.confirmed(email="fan@example.org", thread=thread)
    comment = commit(factories.post, thread=thread, body="Now somebody does.")
    assert list(Announcement.objects.values_list("comment_id", flat=True)) == [
        comment.pk
    ]


def test_a_subscription_confirmed_after_a_quiet_spell_is_told_at_once(thread, commit):
    commit(factories.post, thread=thread, body="Nobody is listening yet.")
    commit(services.subscribe, email="late@example.org", scope="thread", thread=thread)
    commit(factories.post, thread=thread, body="Still nobody: not confirmed.")
    assert services.confirm_address(email="late@example.org") == 1
    mail.outbox.clear()
    commit(factories.post, thread=thread, body="Now someone listens.")
    assert [m.to for m in notices()] == [["late@example.org"]]
    Subscription.objects.filter(email="late@example.org").delete()
    commit(factories.post, thread=thread, body="And is gone again.")
    assert len(notices()) == 1


def test_held_comment_notifies_nobody_until_approved(thread, commit):
    rules = discussion_factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    factories.confirmed(email="fan@example.org", thread=thread)
    mail.outbox.clear()
    comment = commit(factories.post, thread=thread, rules=rules)
    assert comment.status == Status.PENDING
    assert mail.outbox == []
    assert not OutboundEmail.objects.filter(dedupe_key__startswith="comment:").exists()
    commit(
        discussion.moderate_comments,
        comment_ids=[comment.pk],
        action=Action.APPROVE,
        moderator=discussion_factories.user(),
    )
    assert [m.to for m in mail.outbox] == [["fan@example.org"]]


def test_the_author_is_not_told_about_their_own_comment(thread, commit):
    factories.confirmed(email="writer@example.org", thread=thread)
    factories.confirmed(email="writer@example.org", scope="my_replies")
    mine = commit(factories.post, thread=thread, email="Writer@example.org")
    mail.outbox.clear()
    commit(factories.post, thread=thread, parent=mine, email="writer@example.org")
    assert mail.outbox == []


def test_overlapping_subscriptions_get_one_mail_per_comment(thread, commit):
    mine = commit(factories.post, thread=thread, email="ada@example.org")
    factories.confirmed(email="ada@example.org", thread=thread)
    factories.confirmed(email="ada@example.org", scope="my_replies")
    factories.confirmed(email="ada@example.org", scope="comment", comment=mine)
    mail.outbox.clear()
    reply = commit(factories.post, thread=thread, parent=mine, body="Agreed.")
    [message] = mail.outbox
    assert message.subject.startswith("New reply to your comment")
    # Approving again (after a hide) changes nothing: one mail per comment.
    commit(
        discussion.moderate_comments,
        comment_ids=[reply.pk],
        action=Action.HOLD,
        moderator=discussion_factories.user(),
    )
    commit(
        discussion.moderate_comments,
        comment_ids=[reply.pk],
        action=Action.APPROVE,
        moderator=discussion_factories.user(),
    )
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.filter(dedupe_key=f"comment:{reply.pk}").count() == 1


def test_replies_to_one_comment_reach_its_subscriber_not_other_comments(thread, commit):
    first = commit(factories.post, thread=thread, email="ada@example.org")
    second = commit(factories.post, thread=thread, email="ada@example.org")
    factories.confirmed(email="ada@example.org", scope="comment", comment=first)
    mail.outbox.clear()
    commit(factories.post, thread=thread, parent=second)
    assert mail.outbox == []
    commit(factories.post, thread=thread, parent=first)
    assert len(mail.outbox) == 1


def test_ticked_box_on_the_comment_form_subscribes_the_guest_after_confirmation(
    thread, commit
):
    comment = commit(
        factories.post, thread=thread, email="Bea@example.org", notify="replies"
    )
    subscription = Subscription.objects.get()
    assert (subscription.scope, subscription.comment_id) == (Scope.COMMENT, comment.pk)
    assert subscription.confirmed_at is None
    [confirmation] = mail.outbox
    assert confirmation.to == ["bea@example.org"]
    commit(factories.post, thread=thread, parent=comment)
    assert len(mail.outbox) == 1  # not confirmed yet: nothing sent
    services.confirm_address(email="bea@example.org")
    commit(factories.post, thread=thread, parent=comment)
    assert len(mail.outbox) == 2


def test_notify_all_on_the_form_subscribes_a_member_to_the_report(thread, commit):
    user = discussion_factories.user(email="member@example.org")
    commit(
        discussion.post_comment,
        Submission(
            thread=thread,
            state="open",
            rules=discussion_factories.rules(),
            viewer=discussion_factories.guest_viewer(),
            body="Following this one.",
            user=user,
            notify="all",
        ),
    )
    subscription = Subscription.objects.get()
    assert (subscription.scope, subscription.thread_id) == (Scope.THREAD, thread.pk)
    assert subscription.is_confirmed
    commit(factories.post, thread=thread)
    assert [m.to for m in mail.outbox] == [["member@example.org"]]


def test_erasing_an_address_removes_its_subscriptions_and_digest_items(thread, commit):
    factories.confirmed(
        email="gone@example.org", thread=thread, delivery=Delivery.DIGEST
    )
    factories.confirmed(email="stays@example.org", thread=thread)
    commit(factories.post, thread=thread)
    assert DigestItem.objects.filter(email="gone@example.org").exists()
    mailing.erase_address(email="Gone@example.org")
    assert list(Subscription.objects.values_list("email", flat=True)) == [
        "stays@example.org"
    ]
    assert not DigestItem.objects.exists()


def test_unconfirmed_subscriptions_are_purged_after_a_week(thread, commit):
    with time_machine.travel(T0, tick=False) as traveller:
        commit(services.subscribe, email="a@example.org", scope="thread", thread=thread)
        factories.confirmed(email="b@example.org", scope="my_replies")
        traveller.shift(dt.timedelta(days=6))
        assert services.purge_unconfirmed(now=T0 + dt.timedelta(days=6)) == 0
        traveller.shift(dt.timedelta(days=1, seconds=1))
        assert services.confirm_address(email="a@example.org") == 0
        assert services.purge_unconfirmed(now=T0 + dt.timedelta(days=7, seconds=1)) == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == [
        "b@example.org"
    ]


def test_digest_leaves_out_comments_whose_subscription_was_removed(thread, commit):
    other = discussion_factories.thread()
    factories.confirmed(email="d@example.org", thread=thread, delivery="digest")
    dropped = factories.confirmed(
        email="d@example.org", thread=other, delivery="digest"
    )
    commit(factories.post, thread=thread, body="Still wanted.")
    commit(factories.post, thread=other, body="No longer wanted.")
    services.remove_subscription(email="d@example.org", subscription_id=dropped.pk)
    mail.outbox.clear()
    morning = timezone.localtime().replace(hour=9)
    with time_machine.travel(morning, tick=False):
        assert commit(notifications.send_digests, now=morning) == 1
    [digest] = mail.outbox
    assert "Still wanted." in digest.body
    assert "No longer wanted." not in digest.body
