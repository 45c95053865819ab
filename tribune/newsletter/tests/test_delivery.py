"""End to end through a real SMTP server on loopback and the database worker:
sign up, confirm, publish, the mail with its headers, one-click unsubscribe."""

from __future__ import annotations

import re
from collections.abc import Callable

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


def test_sign_up_confirm_publish_receive_and_unsubscribe_in_one_click(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    funding.campaign()
    funding.donation("1800")
    series = newsroom.series("Valley Report")
    client = Client()
    answer = client.post(
        "/newsletter/",
        {"email": "Ada@Example.org", "what": "all", "frequency": "each"},
    )
    assert answer.status_code == 303
    assert client.get(answer["Location"]).status_code == 200
    run_worker()
    [confirmation] = smtp_settings.received
    assert confirmation.rcpt_tos == ["ada@example.org"]
    confirm = link(text_of(confirmation.message), "confirm")
    assert not Subscriber.objects.exists()  # nothing stored before confirming
    assert client.get(confirm).status_code == 200
    assert not Subscriber.objects.exists()  # a GET (a mail scanner) changes nothing
    assert client.post(confirm).status_code == 200
    assert Subscriber.objects.get().email == "ada@example.org"

    newsroom.article(
        in_series=series,
        title="Bridge <reopens> after repairs",
        lead="Traffic returns to the old bridge on Monday & Tuesday.",
    )
    send(run_worker)
    assert len(smtp_settings.received) == 2
    mail = smtp_settings.received[1].message
    assert mail["Subject"] == "Bridge <reopens> after repairs"
    assert mail["List-Id"] == '"Test Gazette" <reports.news.example.org>'
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = link(mail["List-Unsubscribe"], "unsubscribe")
    assert mail.get_content_type() == "multipart/alternative"
    text, body = text_of(mail), html_of(mail)
    assert "<" not in text.replace("Bridge <reopens>", "")
    assert "Monday & Tuesday" in text
    assert "$1,800 of $5,000 raised, " in text
    assert f"{SITE}/support/" in text
    assert "0 comments: " in text and "#comments" in text
    assert f"{SITE}/me/" in text and f"{SITE}/me/" in body
    assert "Bridge &lt;reopens&gt; after repairs" in body
    assert "$1,800 of $5,000 raised, " in body
    assert "<link" not in body and "<style" not in body and "@font-face" not in body
    assert html5_errors([("report.html", body.encode())]) == []

    # One click, as a mail client does it: no cookie, no CSRF token.
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
