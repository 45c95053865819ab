"""The mailed link, end to end through a real SMTP server on loopback and the worker."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from tribune.discussion import services as discussion
from tribune.discussion.submission import Guest, Submission
from tribune.discussion.tests import factories as d
from tribune.mailing.tests.conftest import SMTPServer
from tribune.selfservice.tests.conftest import SITE

pytestmark = pytest.mark.django_db(transaction=True)


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def test_a_reader_gets_a_link_by_mail_that_opens_their_page_once(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    discussion.post_comment(
        Submission(
            thread=d.thread(),
            state="open",
            rules=d.rules(),
            viewer=d.guest_viewer(),
            body="Is the library open on Sunday?",
            guest=Guest(name="Ada", email="ada@example.org"),
            throttle=False,
        )
    )
    assert Client().post("/me/", {"email": "Ada@Example.org"}).status_code == 200
    assert Client().post("/me/", {"email": "nobody@example.org"}).status_code == 200
    run_worker()
    by_address = {m.rcpt_tos[0]: m.message for m in smtp_settings.received}
    assert set(by_address) == {"ada@example.org", "nobody@example.org"}
    known, unknown = by_address["ada@example.org"], by_address["nobody@example.org"]
    # The mail says nothing about whether the address is known.
    assert known["Subject"] == unknown["Subject"]
    strip = lambda text: re.sub(r"/me/link/\S+/", "", text)  # noqa: E731
    assert strip(text_of(known)) == strip(text_of(unknown))
    text = text_of(known)
    url = re.search(rf"{re.escape(SITE)}(/me/link/\S+/)", text)[1]
    # The footer every mail carries links to the reader's page.
    assert f"{SITE}/me/" in text.split("-- ")[-1]
    assert f'href="{SITE}/me/"' in html_of(known)
    browser = Client()
    assert browser.post(url).status_code == 302
    assert b"Is the library open on Sunday?" in browser.get("/me/").content
    assert Client().post(url).status_code == 400
