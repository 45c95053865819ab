"""The footer every queued message gets: a link to the reader's own page."""

from __future__ import annotations

import pytest

from tribune.mailing import services

pytestmark = pytest.mark.django_db


def test_both_bodies_end_with_the_link_to_your_page(settings) -> None:
    settings.WAGTAILADMIN_BASE_URL = "https://news.example.org/"
    email = services.queue_email(
        to="ada@example.org",
        subject="Hello",
        text="Hello Ada.\n",
        html="<html><body><p>Hello Ada.</p></BODY></html>",
        dedupe_key="footer",
    )
    assert email.text_body.startswith("Hello Ada.\n\n-- \n")
    assert "https://news.example.org/me/" in email.text_body.split("-- ")[1]
    before, after = email.html_body.split('<a href="https://news.example.org/me/">')
    assert before.startswith("<html><body><p>Hello Ada.</p>")
    assert after.endswith("</BODY></html>")


def test_html_without_a_body_gets_the_footer_at_the_end(settings) -> None:
    email = services.queue_email(
        to="ada@example.org", subject="Hi", text="Hi", html="<p>Hi</p>", dedupe_key="k"
    )
    assert email.html_body.startswith("<p>Hi</p>")
    assert "/me/" in email.html_body.removeprefix("<p>Hi</p>")


def test_an_empty_path_leaves_the_footer_out(settings) -> None:
    settings.MAILING_YOUR_PAGE_PATH = ""
    email = services.queue_email(
        to="ada@example.org", subject="Hi", text="Hi", html="", dedupe_key="k"
    )
    assert (email.text_body, email.html_body) == ("Hi", "")


def test_a_message_asked_for_passes_the_readers_own_stop_but_not_a_bounce() -> None:
    services.suppress_address(email="ada@example.org")
    services.record_bounce(email="bert@example.org", reason="bounce")
    asked = services.queue_email(
        to="ada@example.org", subject="Link", text="x", dedupe_key="a", asked_for=True
    )
    bounced = services.queue_email(
        to="bert@example.org", subject="Link", text="x", dedupe_key="a", asked_for=True
    )
    notice = services.queue_email(
        to="ada@example.org", subject="News", text="x", dedupe_key="n"
    )
    assert (asked.status, bounced.status, notice.status) == (
        "queued",
        "suppressed",
        "suppressed",
    )
