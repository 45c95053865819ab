"""End to end through a real SMTP server on loopback and the database worker:
sign up, confirm, publish, the mail with its headers, one-click unsubscribe."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tribune.core.testing import html5_errors
from tribune.funding.tests import factories as funding
from tribune.mailing.tests.conftest import SMTPServer
from tribune.newsletter.models import Dispatch, Subscriber
from tribune.newsletter.tests.conftest import SITE
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db(transaction=True)


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link(text: str, kind: str) -> str:
    match = re.search(rf"{re.escape(SITE)}/newsletter/{kind}/\S+/", text)
    assert match, text
    return match[0].removeprefix(SITE)


def send(run_worker: Callable[[], int]) -> None:
    call_command("newsletter_send", verbosity=0)
    run_worker()


def sign_up_and_confirm(
    client: Client, smtp: SMTPServer, run_worker: Callable[[], int]
) -> None:
    answer = client.post(
        "/newsletter/",
        {"email": "Ada@Example.org", "what": "all", "frequency": "each"},
    )
    assert answer.status_code == 303
    assert client.get(answer["Location"]).status_code == 200
    run_worker()
    [confirmation] = smtp.received
    assert confirmation.rcpt_tos == ["ada@example.org"]
    confirm = link(text_of(confirmation.message), "confirm")
    assert not Subscriber.objects.exists()  # nothing stored before confirming
    assert client.get(confirm).status_code == 200
    assert not Subscriber.objects.exists()  # a GET (a mail scanner) changes nothing
    assert client.post(confirm).status_code == 200
    assert Subscriber.objects.get().email == "ada@example.org"


def check_report_mail(mail: Any) -> None:
    """Headers, both parts, the goal line, links; the HTML passes the checker."""
    assert mail["Subject"] == "Bridge <reopens> after repairs"
    assert mail["List-Id"] == '"Test Gazette" <reports.news.example.org>'
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.get_content_type() == "multipart/alternative"
    check_parts(text_of(mail), html_of(mail))


def check_parts(text: str, body: str) -> None:
    assert "<" not in text.replace("Bridge <reopens>", "")
    assert "Monday & Tuesday" in text
    for part in (text, body):
        assert "$1,800 of $5,000 raised, " in part
        assert f"{SITE}/support/" in part
        assert f"{SITE}/me/" in part
        assert "#comments" in part
    assert "0 comments: " in text
    assert "Bridge &lt;reopens&gt; after repairs" in body
    for external in ("<link", "<style", "@font-face", "<script"):
        assert external not in body
    assert html5_errors([("report.html", body.encode())]) == []


def test_sign_up_confirm_publish_receive_and_unsubscribe_in_one_click(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    funding.campaign()
    funding.donation("1800")
    series = newsroom.series("Valley Report")
    sign_up_and_confirm(Client(), smtp_settings, run_worker)
    newsroom.article(
        in_series=series,
        title="Bridge <reopens> after repairs",
        lead="Traffic returns to the old bridge on Monday & Tuesday.",
    )
    send(run_worker)
    assert len(smtp_settings.received) == 2
    mail = smtp_settings.received[1].message
    check_report_mail(mail)

    # One click, as a mail client does it: no cookie, no CSRF token.
    unsubscribe = link(mail["List-Unsubscribe"], "unsubscribe")
    one_click = Client(enforce_csrf_checks=True)
    answer = one_click.post(
        unsubscribe,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert not Subscriber.objects.exists()
    assert one_click.post(unsubscribe).status_code == 200  # again: still fine

    newsroom.article(in_series=series, title="A second report")
    send(run_worker)
    assert len(smtp_settings.received) == 2


def test_a_report_goes_out_once_whatever_later_edits_do(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    from tribune.newsletter.tests.factories import subscriber

    subscriber("bo@example.org")
    article = newsroom.article(title="First version")
    send(run_worker)
    article.title = "Second version"
    article.save_revision().publish()
    send(run_worker)
    assert [m.message["Subject"] for m in smtp_settings.received] == ["First version"]
    assert Dispatch.objects.count() == 1


def test_a_report_with_the_box_off_is_not_sent(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    from tribune.newsletter.tests.factories import subscriber

    subscriber("cy@example.org")
    newsroom.article(title="Quiet", newsletter=False)
    send(run_worker)
    assert smtp_settings.received == []
    assert not Dispatch.objects.exists()
