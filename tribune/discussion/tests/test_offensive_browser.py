"""The question before posting offensive text, as a reader with JavaScript sees
it: asked once in the form, "Edit my comment" keeps the text, "Post anyway"
posts it held."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tribune.discussion.models import Comment, HeldReason, Status
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_is_asked_once_then_posts_anyway_and_the_comment_is_held(
    page, live_server
):
    factories.rules()
    article = newsroom.article(title="Bridge works resume")
    page.goto(live_server.url + article.url)
    page.wait_for_selector("[data-discussion][data-enhanced]")
    question = page.locator("#comment-form [data-offensive-question]")
    expect(question).to_be_hidden()
    page.fill("#id_body", "Shut up, you stupid idiot.")
    page.fill("#id_name", "Ada")
    page.fill("#id_email", "ada@example.org")
    page.click("text=Post comment")

    expect(question).to_be_visible()
    expect(question).to_contain_text("Would you like to rephrase it?")
    expect(page.locator("[data-post-anyway]")).to_be_focused()
    assert not Comment.objects.exists()

    page.click("text=Edit my comment")
    expect(question).to_be_hidden()
    expect(page.locator("#id_body")).to_be_focused()
    expect(page.locator("#id_body")).to_have_value("Shut up, you stupid idiot.")
    page.fill("#id_body", "Shut up, you idiot.")
    # Asked once: the edited text goes ahead, held because it still scores high.
    page.click("text=Post comment")
    page.wait_for_selector(".comment__body:has-text('Shut up, you idiot.')")
    comment = Comment.objects.get()
    assert (comment.status, comment.held_reason) == (
        Status.PENDING,
        HeldReason.OFFENSIVE,
    )
    expect(question).to_be_hidden()

    # The next comment is asked again, and "Post anyway" sends it at once.
    page.fill("#id_body", "What a stupid article.")
    page.click("text=Post comment")
    expect(question).to_be_visible()
    page.click("text=Post anyway")
    page.wait_for_selector(".comment__body:has-text('What a stupid article.')")
    assert Comment.objects.filter(held_reason=HeldReason.OFFENSIVE).count() == 2
    assert page.url == live_server.url + article.url
    assert page.errors == []
