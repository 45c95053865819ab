"""A reader's whole walk through "Your page" in chromium, on a desktop and a phone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tribune.discussion import services as discussion
from tribune.discussion.models import Comment
from tribune.discussion.submission import Guest, Submission
from tribune.discussion.tests import factories as d
from tribune.funding.tests import factories as f
from tribune.mailing.models import OutboundEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}]
)
def test_from_the_footer_to_the_mailed_link_to_export_erase_and_undo(
    live_server, browser, home, viewport, tmp_path: Path
) -> None:
    thread = d.thread()
    discussion.post_comment(
        Submission(
            thread=thread,
            state="open",
            rules=d.rules(),
            viewer=d.guest_viewer(),
            body="Will the market move to the square?",
            guest=Guest(name="Ada Lovegood", email="ada@example.org"),
            throttle=False,
        )
    )
    f.donation("30", email="ada@example.org")
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(live_server.url + "/")
    page.locator("footer").get_by_role("link", name="Your page").click()
    page.get_by_label("Your email address").fill("ada@example.org")
    page.get_by_role("button", name="Email me the link").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    mail = OutboundEmail.objects.get(recipient="ada@example.org")
    path = "/me/link/" + mail.text_body.split("/me/link/")[1].split("/")[0] + "/"
    page.goto(live_server.url + path)
    page.get_by_role("button", name="Open my page").click()
    expect(page.get_by_text("Will the market move to the square?")).to_be_visible()
    expect(page.get_by_text("$30.00")).to_be_visible()
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Your comment").fill("Will the market move to the old square?")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your comment was changed.")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything").click()
    saved = tmp_path / "data.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["comments"][0]["text"] == "Will the market move to the old square?"

    page.get_by_role("link", name="Erase my data").click()
    page.get_by_label("Keep my comments without my name").check()
    page.get_by_label("Yes, erase my data from this site.").check()
    page.get_by_role("button", name="Erase my data").click()
    expect(page.get_by_role("heading", name="Your data was erased")).to_be_visible()

    article = context.new_page()
    article.goto(live_server.url + thread.page.url)
    expect(
        article.get_by_text("Will the market move to the old square?")
    ).to_be_visible()
    assert "Ada Lovegood" not in article.content()

    page.get_by_role("button", name="Undo the erasure").click()
    expect(page.get_by_text("Your data is back.")).to_be_visible()
    assert Comment.objects.get().author_name == "Ada Lovegood"
    assert errors == []
    context.close()
