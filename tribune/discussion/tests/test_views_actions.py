"""Reader actions without JavaScript after posting: edit, delete, report, vote limits."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tribune.core import clock
from tribune.discussion.models import (
    Comment,
    Status,
    Vote,
)
from tribune.discussion.tests import factories
from tribune.discussion.tests.test_views import (
    html,
    post,
)
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    factories.rules()
    return newsroom.article()


def test_vote_without_js_counts_and_returns_to_the_comment(client, article):
    comment = factories.comment(in_thread=factories.thread(article))
    response = client.post(
        reverse("discussion:vote", args=[comment.pk]), {"value": "up"}
    )
    assert response.status_code == 303
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = html(client.get(response["Location"]))
    assert '<span class="vote__score" data-score>1</span>' in page
    assert 'value="none" aria-pressed="true"' in page
    client.post(reverse("discussion:vote", args=[comment.pk]), {"value": "none"})
    assert not Vote.objects.exists()


def test_author_cannot_vote_on_own_comment(client, article):
    post(client, article)
    comment = Comment.objects.get()
    response = client.post(
        reverse("discussion:vote", args=[comment.pk]), {"value": "up"}
    )
    assert response.status_code == 403
    assert "cannot vote" in html(response)


def test_author_edits_within_the_window_and_sees_edited(client, article):
    response = post(client, article)
    comment = Comment.objects.get()
    url = reverse("discussion:edit", args=[comment.pk])
    assert "The footbridge reopened" in html(client.get(url))
    response = client.post(url, {"body": "Corrected *text*"})
    assert response.status_code == 303
    page = html(client.get(response["Location"]))
    assert "<em>text</em>" in page and "Edited" in page


def test_edit_after_window_or_from_another_browser_is_refused(client, article):
    post(client, article)
    comment = Comment.objects.get()
    url = reverse("discussion:edit", args=[comment.pk])
    with time_machine.travel(clock.now() + dt.timedelta(minutes=16)):
        assert client.get(url).status_code == 400
        response = client.post(url, {"body": "late"})
        assert response.status_code == 400
        assert "can no longer be edited" in html(response)
    client.cookies.clear()
    assert client.post(url, {"body": "stolen"}).status_code == 400
    comment.refresh_from_db()
    assert comment.body_markdown.startswith("The footbridge")


def test_deleted_comment_with_replies_leaves_a_placeholder(client, article):
    post(client, article)
    comment = Comment.objects.get()
    factories.comment(parent=comment, body="An answer")
    url = reverse("discussion:delete", args=[comment.pk])
    assert "Delete your comment?" in html(client.get(url))
    response = client.post(url)
    page = html(client.get(response["Location"]))
    assert "This comment was deleted." in page
    assert "An answer" in page
    assert "The footbridge reopened" not in page


def test_deleted_comment_without_replies_disappears(client, article):
    post(client, article)
    comment = Comment.objects.get()
    client.post(reverse("discussion:delete", args=[comment.pk]))
    page = html(client.get(article.url))
    assert "This comment was deleted." not in page
    assert f'id="comment-{comment.pk}"' not in page


def test_report_form_records_the_report(client, article):
    comment = factories.comment(in_thread=factories.thread(article))
    url = reverse("discussion:report", args=[comment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "insults"}, follow=True)
    assert "The moderators will look" in html(response)
    assert comment.reports.get().reason == "insults"


def test_cookie_less_reports_from_one_ip_do_not_hide_a_comment(client, article):
    # Issue 11, finding 4: each cookie-less request used to be a new reporter.
    factories.rules(reports_to_hide=3, reports_per_ip_per_hour=5)
    comment = factories.comment(in_thread=factories.thread(article))
    url = reverse("discussion:report", args=[comment.pk])
    statuses = []
    for _ in range(8):
        client.cookies.clear()
        statuses.append(client.post(url, {"reason": "spam"}).status_code)
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert statuses == [303] * 5 + [429] * 3
    assert comment.reports.count() == 5
    assert not comment.reports.filter(counted=True).exists()


def test_reports_from_known_guests_on_different_networks_hide_a_comment(article):
    factories.rules(reports_to_hide=2, report_min_guest_age_hours=24)
    comment = factories.comment(in_thread=factories.thread(article))
    other = factories.comment(in_thread=comment.thread)
    readers = [Client(REMOTE_ADDR=ip) for ip in ("198.51.100.1", "203.0.113.2")]
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for reader in readers:  # each gets its guest cookie by voting
            vote = reader.post(
                reverse("discussion:vote", args=[other.pk]), {"value": "up"}
            )
            assert vote.status_code == 303
        traveller.shift(dt.timedelta(hours=25))
        for reader in readers:
            reader.post(
                reverse("discussion:report", args=[comment.pk]), {"reason": "abuse"}
            )
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert comment.report_count == 2


def test_cookie_less_votes_from_one_ip_stop_counting_after_the_limit(client, article):
    # Issue 11, finding 5: 25 up-votes from one IP by dropping the cookie.
    factories.rules(new_guests_per_ip_per_hour=10)
    comment = factories.comment(in_thread=factories.thread(article))
    url = reverse("discussion:vote", args=[comment.pk])
    responses = []
    for _ in range(25):
        client.cookies.clear()
        responses.append(client.post(url, {"value": "up"}))
    comment.refresh_from_db()
    assert comment.upvotes == 10
    assert [r.status_code for r in responses] == [303] * 10 + [429] * 15
    assert "Too many new visitors from your network" in html(responses[-1])


def test_votes_per_network_are_limited_for_one_guest_too(client, article):
    factories.rules(votes_per_ip_per_hour=3)
    thread = factories.thread(article)
    comments = [factories.comment(in_thread=thread) for _ in range(5)]
    codes = [
        client.post(
            reverse("discussion:vote", args=[c.pk]), {"value": "up"}
        ).status_code
        for c in comments
    ]
    assert codes == [303] * 3 + [429] * 2
    assert Vote.objects.count() == 3


def test_report_answers_see_other_and_shows_thanks_on_the_get(client, article):
    comment = factories.comment(in_thread=factories.thread(article))
    url = reverse("discussion:report", args=[comment.pk])
    response = client.post(url, {"reason": "Off topic"})
    assert response.status_code == 303
    assert response["Location"] == f"{url}?sent=1"
    assert comment.reports.count() == 1
    thanks = client.get(response["Location"])
    assert "The moderators will look at this comment." in html(thanks)
    assert comment.reports.count() == 1


def test_delete_answers_see_other(client, article):
    post(client, article)
    comment = Comment.objects.get()
    response = client.post(reverse("discussion:delete", args=[comment.pk]))
    assert response.status_code == 303
    assert response["Location"].endswith(f"#comment-{comment.pk}")
