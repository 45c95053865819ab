"""A refused comment form shown again: the error summary, focus, messages."""

import datetime as dt
import re

import pytest
import time_machine

from tribune.core import clock
from tribune.discussion import spam
from tribune.discussion.models import Comment
from tribune.discussion.tests import factories
from tribune.discussion.tests.test_views import html, post
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    factories.rules()
    return newsroom.article()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": ""}, "email", "Please give your email address"),
        ({"email": "nope"}, "email", "does not look right"),
        ({"name": ""}, "name", "Please give a name."),
        ({"body": ""}, "body", "Please write a comment."),
        ({"body": "x" * 5001}, "body", "at most 5000 characters"),
        ({"website": "javascript:alert(1)"}, "website", "http:// or https://"),
        ({"parent": "999999"}, None, "not available"),
    ],
)
def test_bad_input_shows_the_error_by_the_field_and_keeps_the_text(
    client, article, fields, field, message
):
    fields.setdefault("body", "Kept words <b>here</b>")
    response = post(client, article, **fields)
    assert response.status_code == 400
    page = html(response)
    if field:
        error = re.search(rf'data-error-for="{field}">([^<]*)</span>', page).group(1)
        assert message in error
    else:
        assert message in page
    if fields["body"] == "Kept words <b>here</b>":
        assert "Kept words &lt;b&gt;here&lt;/b&gt;</textarea>" in page
    assert not Comment.objects.exists()


def test_form_sent_too_quickly_is_refused(client, article, settings):
    settings.DISCUSSION_MIN_FILL_SECONDS = 3
    token = spam.issue_form_token()
    response = post(client, article, started=token)
    assert response.status_code == 400
    assert "quicker than people type" in html(response)
    with time_machine.travel(clock.now() + dt.timedelta(seconds=5)):
        assert post(client, article, started=token).status_code == 303


def test_filled_honeypot_is_refused(client, article):
    assert post(client, article, nickname="bot").status_code == 400
    assert not Comment.objects.exists()


def test_rate_limited_poster_sees_a_message(client, article, settings):
    settings.DISCUSSION_RATE_PER_IP_PER_MINUTE = 1
    assert post(client, article, key="1" * 32).status_code == 303
    response = post(client, article, key="2" * 32, email="other@example.org")
    assert response.status_code == 400
    assert "faster than we allow" in html(response)


def test_form_token_expires_after_two_hours_with_a_clear_error(client, article):
    started = spam.issue_form_token()
    with time_machine.travel(clock.now() + dt.timedelta(hours=2, minutes=1)):
        response = post(client, article, started=started)
    assert response.status_code == 400
    assert "This form is too old. Please send it again." in html(response)
    assert not Comment.objects.exists()


# Issue 17: without JavaScript, a refused post shows its errors at the form, with
# the field to fix focused, and a successful post answers 303 so a reload is a GET.


def _tag(page, pattern):
    return re.search(pattern, page).group(0)


def _summary_position(page):
    form = page.index('<form class="comment-form" id="comment-form"')
    summary = page.index('id="comment-form-errors"')
    first_field = page.index("<textarea")
    return form, summary, first_field


def test_refused_post_shows_the_error_summary_first_in_the_form(client, article):
    response = post(client, article, name="", body="Kept words")
    assert response.status_code == 400
    page = html(response)
    form, summary, first_field = _summary_position(page)
    # Nothing but the opening tag's end and whitespace between form and summary.
    assert form < summary < first_field
    assert re.fullmatch(r"[^<]*<div [^>]*", page[form:summary].split(">", 1)[1])
    assert 'aria-describedby="comment-form-errors"' in _tag(
        page, r'<form class="comment-form"[^>]*>'
    )
    box = _tag(page, r'<div [^>]*id="comment-form-errors"[^>]*>')
    assert 'role="alert"' in box
    summary_html = page[summary : page.index("</div>", summary)]
    assert "Please give a name." in summary_html
    assert 'href="#id_name"' in summary_html


def test_refused_post_puts_autofocus_on_the_first_invalid_field_only(client, article):
    page = html(post(client, article, name="", email="", body="Kept words"))
    name = _tag(page, r'<input [^>]*name="name"[^>]*>')
    assert "autofocus" in name
    assert 'aria-invalid="true"' in name
    assert page.count("autofocus") == 1
    assert "Kept words</textarea>" in page


def test_refused_post_without_a_field_error_focuses_the_comment(client, article):
    # The honeypot refusal names no field: the summary carries it, the text stays.
    response = post(client, article, nickname="bot", body="Kept words")
    assert response.status_code == 400
    page = html(response)
    form, summary, first_field = _summary_position(page)
    assert form < summary < first_field
    body = _tag(page, r'<textarea [^>]*name="body"[^>]*>')
    assert "autofocus" in body
    assert page.count("autofocus") == 1
    assert "Kept words</textarea>" in page


def test_rate_limited_post_shows_its_message_in_the_summary(client, article, settings):
    settings.DISCUSSION_RATE_PER_IP_PER_MINUTE = 1
    post(client, article, key="1" * 32)
    page = html(post(client, article, key="2" * 32, email="other@example.org"))
    _form, summary, _first = _summary_position(page)
    assert "faster than we allow" in page[summary : page.index("</div>", summary)]
    assert "autofocus" in _tag(page, r'<textarea [^>]*name="body"[^>]*>')


def test_article_page_has_no_summary_or_autofocus_before_a_post(client, article):
    page = html(client.get(article.url))
    assert "comment-form-errors" not in page
    assert "autofocus" not in page
