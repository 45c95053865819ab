"""queue_templated_email renders subject, text and HTML from one template prefix."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tribune.mailing import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_templates(settings: Any, tmp_path: Path) -> Path:
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    settings.MAILING_YOUR_PAGE_PATH = ""  # no footer: the body is what was rendered
    (tmp_path / "note").mkdir()
    return tmp_path / "note"


def test_subject_text_and_html_come_from_the_prefix(mail_templates: Path) -> None:
    (mail_templates / "hello_subject.txt").write_text(
        "{% autoescape off %}Hello\n  {{ name }}{% endautoescape %}\n"
    )
    (mail_templates / "hello.txt").write_text(
        "{% autoescape off %}Dear {{ name }},{% endautoescape %}\n"
    )
    (mail_templates / "hello.html").write_text("<p>Dear {{ name }},</p>\n")
    email = services.queue_templated_email(
        "note/hello",
        to="Reader@Example.org",
        context={"name": "Ada & <Bo>"},
        dedupe_key="hello:1",
        headers={"X-Topic": "notes"},
    )
    email.refresh_from_db()
    assert email.recipient == "reader@example.org"
    # Line breaks and runs of spaces in the subject template become one space.
    assert email.subject == "Hello Ada & <Bo>"
    assert email.text_body == "Dear Ada & <Bo>,\n"
    assert email.html_body == "<p>Dear Ada &amp; &lt;Bo&gt;,</p>\n"
    assert email.headers == {"X-Topic": "notes"}
    assert email.dedupe_key == "hello:1"


def test_without_an_html_template_the_mail_is_plain_text(mail_templates: Path) -> None:
    (mail_templates / "plain_subject.txt").write_text("Plain\n")
    (mail_templates / "plain.txt").write_text("Only text.\n")
    email = services.queue_templated_email(
        "note/plain", to="reader@example.org", context={}, dedupe_key="plain:1"
    )
    assert (email.subject, email.text_body, email.html_body) == (
        "Plain",
        "Only text.\n",
        "",
    )


def test_a_second_call_with_the_same_key_returns_the_first_row(
    mail_templates: Path,
) -> None:
    (mail_templates / "once_subject.txt").write_text("Once {{ n }}")
    (mail_templates / "once.txt").write_text("Body {{ n }}")
    first = services.queue_templated_email(
        "note/once", to="reader@example.org", context={"n": 1}, dedupe_key="once"
    )
    second = services.queue_templated_email(
        "note/once", to="reader@example.org", context={"n": 2}, dedupe_key="once"
    )
    assert second.pk == first.pk
    assert second.subject == "Once 1"
