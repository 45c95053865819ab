"""Two readers in two browsers: what one does reaches the other's open page live."""

from __future__ import annotations

import copy

import pytest
from playwright.sync_api import expect

from tribune.discussion.models import Comment, ModerationPolicy
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(settings, start_live):
    settings.DISCUSSION_RATE_PER_IP_PER_MINUTE = 100_000
    settings.DISCUSSION_RATE_PER_EMAIL_PER_HOUR = 100_000
    # Ann types faster than a person: the bot check's minimum time is not tested here.
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    factories.rules()
    article = newsroom.article(title="Bridge works resume")
    first = factories.comment(
        in_thread=factories.thread(article), body="First words", name="Bo"
    )
    live = start_live()
    settings.LIVE_STREAM_URL = f"{live.url}/live/stream/"
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["connect-src"] = ["'self'", live.url]
    settings.CONTENT_SECURITY_POLICY = policy
    return article, first, live


def reader(browser, url):
    tab = browser.new_context().new_page()
    tab.errors = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    tab.goto(url)
    tab.wait_for_selector("[data-live][data-live-state=open]", state="attached")
    tab.wait_for_selector("[data-discussion][data-enhanced]")
    return tab


def test_one_reader_posts_and_votes_the_other_sees_it_and_never_a_held_comment(
    browser, live_server, setup
):
    article, first, _live = setup
    url = live_server.url + article.url
    ann, ben = reader(browser, url), reader(browser, url)

    ann.fill("#id_body", "The new timetable helps.")
    ann.fill("#id_name", "Ann")
    ann.fill("#id_email", "ann@example.org")
    ann.click("text=Post comment")
    expect(ann.locator("#comments-title")).to_have_text("2 Comments")
    posted = Comment.objects.get(body_markdown__contains="timetable")

    bubble = ben.locator("[data-live-bubble]")
    expect(bubble).to_have_text("1 new comment: show")
    # Waiting in the bubble: the page did not move.
    assert ben.locator(f"#comment-{posted.pk}").count() == 0
    expect(ben.locator("#comments-title")).to_have_text("2 Comments")
    bubble.click()
    expect(ben.locator(f"#comment-{posted.pk} .comment__body")).to_have_text(
        "The new timetable helps."
    )
    expect(bubble).to_be_hidden()

    ann.click(f"#comment-{first.pk} > .comment__box .vote__up")
    expect(
        ben.locator(f"#comment-{first.pk} > .comment__box [data-score]")
    ).to_have_text("1")

    reply = factories.comment(parent=first, body="A reply below")
    expect(
        ben.locator(f"#comment-{first.pk} .comment__replies #comment-{reply.pk}")
    ).to_be_visible()

    factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    ann.fill("#id_body", "Secret held words")
    ann.click("text=Post comment")
    ann.wait_for_selector(".comment__held")
    factories.comment(
        in_thread=first.thread, body="Visible after held", settings=factories.rules()
    )
    expect(bubble).to_have_text("1 new comment: show")
    bubble.click()
    expect(ben.locator(".comment__body:has-text('Visible after held')")).to_be_visible()
    assert "Secret held words" not in ben.content()
    assert ann.errors == [] and ben.errors == []


def test_a_reply_into_a_folded_conversation_counts_in_its_link(
    browser, live_server, setup, settings
):
    article, first, _live = setup
    settings.DISCUSSION_COLLAPSE_AFTER = 2
    replies = [factories.comment(parent=first, body=f"Early {i}") for i in range(3)]
    ben = reader(browser, live_server.url + article.url)
    link = ben.locator(f"#comment-{first.pk} > [data-more-replies]")
    expect(link).to_have_text("View 3 replies")

    factories.comment(parent=replies[-1], body="A late reply")
    expect(link).to_have_text("View 4 replies")
    # Counted, not placed: it comes with the others when the fold opens.
    assert ben.locator(".comment__body:has-text('A late reply')").count() == 0
    link.click()
    expect(ben.locator(".comment__body:has-text('A late reply')")).to_be_visible()
    expect(ben.locator(f"#comment-{first.pk} .comment__replies > li")).to_have_count(4)
    assert ben.errors == []


def test_a_reader_catches_up_after_the_live_process_restarts(
    browser, live_server, setup
):
    article, first, live = setup
    ben = reader(browser, live_server.url + article.url)
    live.stop()
    missed = factories.comment(in_thread=first.thread, body="Posted while down")
    live.start()
    expect(ben.locator("[data-live-bubble]")).to_have_text(
        "1 new comment: show", timeout=20_000
    )
    ben.click("[data-live-bubble]")
    expect(ben.locator(f"#comment-{missed.pk}")).to_be_visible()
    assert ben.errors == []
