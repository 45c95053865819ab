"""Browser tests: what only a browser shows (script enhancement, XSS not running)."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tribune.discussion.models import Comment
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).parent / "data"
PAYLOADS = [
    line
    for line in (DATA / "xss_payloads.txt").read_text().splitlines()
    if line.strip()
]


@pytest.fixture
def article(settings):
    settings.DISCUSSION_RATE_PER_IP_PER_MINUTE = 100_000
    settings.DISCUSSION_RATE_PER_EMAIL_PER_HOUR = 100_000
    factories.rules(max_links=50)
    return newsroom.article(title="Bridge works resume")


def watch_dialogs(page):
    seen = []
    page.on("dialog", lambda dialog: (seen.append(dialog.message), dialog.dismiss()))
    return seen


def fill_guest(page, body, name="Ada"):
    page.fill("#id_body", body)
    page.fill("#id_name", name)
    page.fill("#id_email", f"{name.lower()}@example.org")


def test_reader_posts_replies_votes_and_sorts_in_place(
    page, browser, live_server, article
):
    url = live_server.url + article.url
    dialogs = watch_dialogs(page)
    page.goto(url)
    assert "Would love your thoughts" in page.inner_text("[data-discussion-bubble]")
    page.wait_for_selector("[data-discussion][data-enhanced]")
    fill_guest(page, "The *new* timetable helps.")
    page.click("text=Post comment")
    page.wait_for_selector(".comment__body em:text('new')")
    assert page.url == url  # posted in place, no navigation
    assert page.inner_text(".discussion-bubble__count") == "1"
    assert page.inner_text(".discussion-bubble__text") == "comment"
    top = Comment.objects.get()

    page.click(f"#comment-{top.pk} [data-reply]")
    assert page.locator(f"#comment-{top.pk} > #comment-form").count() == 1
    page.fill("#id_body", "Agreed, and the buses run later too.")
    page.click("text=Post comment")
    page.wait_for_selector(f"#comment-{top.pk} .comment__replies .comment__body")
    reply = Comment.objects.exclude(pk=top.pk).get()
    assert reply.parent_id == top.pk
    assert (
        page.locator(
            "[data-discussion-list] > .discussion__sort + * #comment-form"
        ).count()
        == 0
    )

    other = browser.new_context()
    tab = other.new_page()
    tab.goto(url)
    tab.wait_for_selector("[data-discussion][data-enhanced]")
    tab.click(f"#comment-{top.pk} > .comment__box .vote__up")
    tab.wait_for_selector(
        f"#comment-{top.pk} > .comment__box .vote__up[aria-pressed=true]"
    )
    assert tab.inner_text(f"#comment-{top.pk} > .comment__box [data-score]") == "1"
    tab.reload()
    assert tab.inner_text(f"#comment-{top.pk} > .comment__box [data-score]") == "1"
    tab.click(f"#comment-{top.pk} > .comment__box .vote__up")  # withdraw
    tab.wait_for_selector(
        f"#comment-{top.pk} > .comment__box .vote__up[aria-pressed=false]"
    )
    assert tab.inner_text(f"#comment-{top.pk} > .comment__box [data-score]") == "0"

    second = factories.comment(in_thread=top.thread, body="A later thought.")
    tab.click("[data-sort=newest]")
    tab.wait_for_selector("[data-sort=newest][aria-current]")
    ids = tab.eval_on_selector_all(
        "[data-discussion-comments] > li", "items => items.map(li => li.id)"
    )
    assert ids == [f"comment-{second.pk}", f"comment-{top.pk}"]
    assert any(
        c["name"] == "tribune_comment_sort" and c["value"] == "newest"
        for c in other.cookies()
    )
    other.close()
    assert dialogs == []
    assert page.errors == []


def test_load_more_and_permalink_beyond_the_first_page(
    page, live_server, article, settings
):
    settings.DISCUSSION_PAGE_SIZE = 3
    thread = factories.thread(article)
    made = [factories.comment(in_thread=thread) for _ in range(7)]
    page.goto(live_server.url + article.url)
    page.wait_for_selector("[data-discussion][data-enhanced]")
    assert page.locator("[data-discussion-comments] > li").count() == 3
    page.click("[data-load-more]")
    expect(page.locator("[data-discussion-comments] > li")).to_have_count(6)
    page.click("[data-view-all]")
    expect(page.locator("[data-discussion-comments] > li")).to_have_count(7)
    page.goto("about:blank")
    page.goto(f"{live_server.url}{article.url}#comment-{made[-1].pk}")
    page.wait_for_selector(f"#comment-{made[-1].pk}.comment--focus")
    assert f"comment={made[-1].pk}" in page.url
    assert page.errors == []


def test_everything_works_without_javascript(browser, live_server, article):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + article.url)
    fill_guest(tab, "Posted without any script.", name="Nojs")
    tab.fill("#id_email", "")
    tab.click("text=Post comment")
    assert "Please give your email address" in tab.inner_text("[data-error-for=email]")
    assert tab.input_value("#id_body") == "Posted without any script."
    tab.fill("#id_email", "nojs@example.org")
    tab.click("text=Post comment")
    comment = Comment.objects.get()
    assert tab.url.endswith(f"#comment-{comment.pk}")
    assert "Posted without any script." in tab.inner_text(f"#comment-{comment.pk}")
    context.close()


CHECK_PAGE = (DATA / "check_page.js").read_text()

POST_ALL = (DATA / "post_all.js").read_text()


def test_xss_corpus_never_executes_in_body_name_or_website(page, live_server, article):
    assert len(PAYLOADS) >= 100
    dialogs = watch_dialogs(page)
    page.goto(live_server.url + article.url)
    results = page.evaluate(POST_ALL, [article.pk, PAYLOADS])
    accepted = [
        p for p, (status, _) in zip(PAYLOADS, results, strict=True) if status == 201
    ]
    refused = [(p, r) for p, r in zip(PAYLOADS, results, strict=True) if r[0] != 201]
    # Only payloads whose name is blank after trimming may be refused.
    assert all(r[1] == "name" for _, r in refused), json.dumps(refused)[:500]
    assert len(accepted) >= 100
    page.goto(f"{live_server.url}{article.url}?call=1")
    page.wait_for_selector("[data-discussion][data-enhanced]")
    assert page.locator(".comment__box").count() == len(accepted)
    assert page.evaluate(CHECK_PAGE) == []
    # Hover and focus everything that could carry a handler, then look again.
    for box in page.locator(".comment__body").all()[:40]:
        box.hover()
    page.keyboard.press("Tab")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.errors == []
    # The raw payload text is shown as text: the first payload appears verbatim.
    assert "<script>alert(1)</script>" in page.inner_text(".discussion__comments")


def test_xss_in_a_rejected_form_is_shown_as_text(browser, live_server, article):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + article.url)
    fill_guest(
        tab,
        "</textarea><script>alert(1)</script>",
        name='"><img src=x onerror=alert(1)>',
    )
    tab.fill("#id_email", "broken")
    tab.click("text=Post comment")
    assert tab.input_value("#id_body") == "</textarea><script>alert(1)</script>"
    assert tab.input_value("#id_name") == '"><img src=x onerror=alert(1)>'
    assert tab.locator("img[src=x]").count() == 0
    context.close()


def test_script_shows_errors_by_the_field_and_keeps_the_text(
    page, live_server, article
):
    url = live_server.url + article.url
    page.goto(url)
    page.wait_for_selector("[data-discussion][data-enhanced]")
    page.click("[data-discussion-bubble]")
    assert page.url.endswith("#comments")
    fill_guest(page, "Kept after the error.")
    page.fill("#id_email", "not-an-email")
    page.click("text=Post comment")
    expect(page.locator("[data-error-for=email]")).to_contain_text(
        "does not look right"
    )
    assert page.input_value("#id_body") == "Kept after the error."
    assert page.url == url + "#comments"
    page.fill("#id_email", "fixed@example.org")
    page.click("text=Post comment")
    page.wait_for_selector(".comment__body:has-text('Kept after the error.')")
    expect(page.locator("[data-error-for=email]")).to_have_text("")
    assert Comment.objects.count() == 1
    assert page.errors == []


def test_refused_post_without_javascript_focuses_the_field_to_fix(
    browser, live_server, settings
):
    # Issue 17: on a long report the form sits far below the fold.
    settings.DISCUSSION_RATE_PER_IP_PER_MINUTE = 100_000
    factories.rules()
    long_report = newsroom.article(
        title="A long report",
        paragraphs=tuple(f"Paragraph {n} of a long report. " * 12 for n in range(40)),
    )
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 700}
    )
    tab = context.new_page()
    tab.goto(live_server.url + long_report.url)
    fill_guest(tab, "Typed before the mistake.", name="Nojs")
    tab.fill("#id_email", "")
    tab.click("text=Post comment")
    # Waits: a browser applies autofocus when it next renders the new page.
    expect(tab.locator("#id_email")).to_be_focused()
    expect(tab.locator("#comment-form-errors")).to_be_in_viewport()
    expect(tab.locator("#comment-form-errors")).to_contain_text(
        "Please give your email address"
    )
    expect(tab.locator("#id_email")).to_be_in_viewport()
    assert tab.input_value("#id_body") == "Typed before the mistake."
    tab.fill("#id_email", "nojs@example.org")
    tab.click("text=Post comment")
    # Waits for the redirect's page to load: a reload during the navigation
    # finds no page attached.
    expect(tab).to_have_url(re.compile(r"#comment-\d+$"))
    tab.wait_for_load_state("load")
    comment = Comment.objects.get()
    assert tab.url.endswith(f"#comment-{comment.pk}")
    # The answer was a redirect: reloading fetches the page and posts nothing.
    tab.reload()
    assert Comment.objects.count() == 1
    context.close()


def test_a_folded_conversation_opens_in_place_or_at_its_permalink(
    page, browser, live_server, article, settings
):
    settings.DISCUSSION_COLLAPSE_AFTER = 1
    thread = factories.thread(article)
    root = factories.comment(in_thread=thread, body="Who keeps the ferry running?")
    replies = [
        factories.comment(parent=root, body=f"Answer number {i}.") for i in range(3)
    ]
    page.goto(live_server.url + article.url)
    page.wait_for_selector("[data-discussion][data-enhanced]")
    expect(page.locator(f"#comment-{replies[0].pk}")).to_have_count(0)
    page.click(f"[data-more-replies='{root.pk}']")
    last = page.locator(f"#comment-{root.pk} > details[open] #comment-{replies[2].pk}")
    expect(last).to_contain_text("Answer number 2.")
    expect(page.locator(f"#comment-{root.pk} > details > summary")).to_have_text(
        "View 3 replies"
    )
    # The loaded replies work as the others: a vote is counted and shown.
    page.click(f"#comment-{replies[1].pk} > .comment__box .vote__up")
    expect(
        page.locator(f"#comment-{replies[1].pk} > .comment__box .vote__up")
    ).to_have_attribute("aria-pressed", "true")
    assert Comment.objects.get(pk=replies[1].pk).score == 1
    assert page.errors == []
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + article.url)
    tab.click(f"[data-more-replies='{root.pk}']")
    assert f"comment={root.pk}" in tab.url
    assert "Answer number 2." in tab.inner_text(f"#comment-{root.pk}")
    context.close()
