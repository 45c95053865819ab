"""End to end through a real SMTP server on loopback and the database worker."""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections.abc import Callable

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tribune.discussion import services as discussion
from tribune.discussion import spam
from tribune.discussion.models import Action, ModerationPolicy, Status
from tribune.discussion.tests import factories as discussion_factories
from tribune.mailing.models import OutboundEmail
from tribune.mailing.tests.conftest import SMTPServer
from tribune.newsroom.tests import factories as newsroom
from tribune.subscriptions.models import Delivery, Subscription
from tribune.subscriptions.tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
SITE = "https://news.example.org"


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link(text: str, kind: str) -> str:
    match = re.search(rf"{re.escape(SITE)}/subscriptions/{kind}/\S+/", text)
    assert match, text
    return match[0].removeprefix(SITE)


def post_reply(client: Client, article, parent_id=None, **fields) -> None:
    data = {
        "body": "The ferry timetable is online **now**. <script>alert(1)</script>",
        "name": "Bert Neighbour",
        "email": "bert@example.org",
        "website": "",
        "key": uuid.uuid4().hex,
        "started": spam.issue_form_token(),
        "nickname": "",
        "notify": "none",
        **fields,
    }
    if parent_id:
        data["parent"] = parent_id
    response = client.post(reverse("discussion:post", args=[article.pk]), data)
    assert response.status_code == 303, response.content.decode()[:500]


def test_guest_subscribes_confirms_and_receives_a_reply_then_unsubscribes_in_one_click(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    discussion_factories.rules()
    article = newsroom.article(title="Ferry service resumes")
    reader = Client()
    # Ada comments and ticks "replies"; the comment form's choice asks to confirm.
    post_reply(
        reader,
        article,
        name="Ada",
        email="Ada@example.org",
        notify="replies",
        body="Does the ferry take bicycles?",
    )
    run_worker()
    [confirmation] = smtp_settings.received
    assert confirmation.rcpt_tos == ["ada@example.org"]
    confirm_url = link(text_of(confirmation.message), "confirm")
    assert "Ferry service resumes" in text_of(confirmation.message)
    assert reader.get(confirm_url).status_code == 200
    assert Subscription.objects.get().confirmed_at is None
    assert reader.post(confirm_url).status_code == 200
    # Someone replies; the worker mails Ada.
    ada_comment = Subscription.objects.get().comment
    post_reply(Client(), article, parent_id=ada_comment.pk)
    run_worker()
    assert len(smtp_settings.received) == 2
    notice = smtp_settings.received[1]
    message = notice.message
    assert notice.rcpt_tos == ["ada@example.org"]
    # A long encoded subject is folded after "Subject:"; readers strip that space.
    assert message["Subject"].strip() == (
        "New reply to your comment on “Ferry service resumes”"
    )
    # Long header values are folded; unfolded, the value is "<url>".
    unsubscribe_url = message["List-Unsubscribe"].strip().removeprefix("<")
    unsubscribe_url = unsubscribe_url.removesuffix(">")
    assert unsubscribe_url.startswith(f"{SITE}/subscriptions/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = text_of(message), html_of(message)
    assert "The ferry timetable is online now." in text
    assert "<strong>now</strong>" in html
    # Typed markup is text: escaped in the HTML part, literal in the plain one.
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    reply = ada_comment.replies.get()
    assert f"{SITE}{article.url}?comment={reply.pk}#comment-{reply.pk}" in text
    assert f"?replyto={reply.pk}#comment-form" in text
    assert link(text, "manage")
    # The mail client's one-click POST: no cookies, no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        unsubscribe_url.removeprefix(SITE),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    post_reply(Client(), article, parent_id=ada_comment.pk)
    run_worker()
    assert len(smtp_settings.received) == 2


def test_held_reply_mails_nobody_until_approved_and_never_its_author(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    rules = discussion_factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    thread = discussion_factories.thread()
    factories.confirmed(email="fan@example.org", thread=thread)
    factories.confirmed(email="held@example.org", thread=thread)
    OutboundEmail.objects.all().delete()
    run_worker()
    comment = factories.post(thread=thread, rules=rules, email="held@example.org")
    assert comment.status == Status.PENDING
    run_worker()
    assert smtp_settings.received == []
    discussion.moderate_comments(
        comment_ids=[comment.pk],
        action=Action.APPROVE,
        moderator=discussion_factories.user(),
    )
    run_worker()
    assert [r.rcpt_tos for r in smtp_settings.received] == [["fan@example.org"]]


def test_daily_digest_collects_what_became_visible_since_the_last_one(
    smtp_settings: SMTPServer, run_worker: Callable[[], int], settings
) -> None:
    settings.SUBSCRIPTIONS_DIGEST_HOUR = 7
    discussion_factories.rules()
    thread = discussion_factories.thread()
    day = dt.datetime(2026, 6, 1, 6, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(day, tick=False) as traveller:
        factories.confirmed(
            email="daily@example.org", thread=thread, delivery=Delivery.DIGEST
        )
        OutboundEmail.objects.all().delete()
        run_worker()
        factories.post(thread=thread, body="First news of the day.")
        factories.post(thread=thread, body="Second news of the day.")
        run_worker()
        assert smtp_settings.received == []  # digest subscribers wait
        call_command("subscriptions_send_digests", verbosity=0)
        run_worker()
        assert smtp_settings.received == []  # before the digest hour
        traveller.move_to(day.replace(hour=7, minute=5))
        call_command("subscriptions_send_digests", verbosity=0)
        call_command("subscriptions_send_digests", verbosity=0)
        run_worker()
        [digest] = smtp_settings.received
        text = text_of(digest.message)
        assert digest.rcpt_tos == ["daily@example.org"]
        assert "2 new comments" in text
        assert "First news of the day." in text and "Second news of the day." in text
        assert digest.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # Later that day: waits for tomorrow's digest.
        factories.post(thread=thread, body="Evening news.")
        run_worker()
        call_command("subscriptions_send_digests", verbosity=0)
        run_worker()
        assert len(smtp_settings.received) == 1
        traveller.move_to(day.replace(hour=7) + dt.timedelta(days=1))
        call_command("subscriptions_send_digests", verbosity=0)
        run_worker()
    assert len(smtp_settings.received) == 2
    second = text_of(smtp_settings.received[1].message)
    assert "Evening news." in second and "First news" not in second


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_twenty_parallel_subscribe_requests_send_one_confirmation(
    smtp_settings: SMTPServer, run_worker: Callable[[], int], settings
) -> None:
    # Twenty clients behind one address would meet the per-client limit first.
    settings.SUBSCRIPTIONS_REQUESTS_PER_IP_PER_HOUR = 100
    discussion_factories.rules()
    articles = [newsroom.article() for _ in range(4)]
    start = threading.Barrier(20)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def request(n: int) -> None:
        try:
            start.wait()
            article = articles[n % 4]
            response = Client().post(
                reverse("subscriptions:subscribe", args=[article.pk]),
                {
                    "scope": "thread" if n % 2 else "my_replies",
                    "delivery": "instant",
                    "email": "target@example.org",
                },
            )
            statuses.append(response.status_code)
        except BaseException as exc:  # reported with the test's failure
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statuses == [303] * 20
    assert OutboundEmail.objects.filter(recipient="target@example.org").count() == 1
    run_worker()
    assert [r.rcpt_tos for r in smtp_settings.received] == [["target@example.org"]]
    # Odd requests ask for two reports' threads, even ones for "replies to my
    # comments": three subscriptions, each made once.
    assert Subscription.objects.count() == 3


def test_a_lost_notice_task_is_enqueued_again_and_mails_once(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    discussion_factories.rules()
    thread = discussion_factories.thread()
    factories.confirmed(email="fan@example.org", thread=thread)
    OutboundEmail.objects.all().delete()
    DBTaskResult.objects.all().delete()
    start = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        factories.post(thread=thread)
        assert DBTaskResult.objects.count() == 1
        DBTaskResult.objects.all().delete()  # the queue lost the task
        call_command("subscriptions_send_digests", verbosity=0)
        assert run_worker() == 0  # still within the grace time
        traveller.shift(dt.timedelta(minutes=3))
        call_command("subscriptions_send_digests", verbosity=0)
        run_worker()
        traveller.shift(dt.timedelta(minutes=3))
        call_command("subscriptions_send_digests", verbosity=0)
        run_worker()
    assert [r.rcpt_tos for r in smtp_settings.received] == [["fan@example.org"]]
