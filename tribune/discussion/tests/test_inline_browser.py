"""Browser tests of inline feedback: selecting, posting, markers, edits, keyboard."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.test.utils.form_data import nested_form_data, rich_text

from tribune.discussion.models import Comment, PassageState
from tribune.discussion.tests import factories
from tribune.newsroom.models import ArticlePage
from tribune.newsroom.tests import factories as newsroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "The council voted to reopen the old river bridge in the spring."
SECOND = "Residents asked for a footpath and later buses on the north side."
PAYLOAD = '<img src=x onerror="window.__xss=1">'


@pytest.fixture
def article(settings):
    settings.DISCUSSION_RATE_PER_IP_PER_MINUTE = 100_000
    settings.DISCUSSION_RATE_PER_EMAIL_PER_HOUR = 100_000
    factories.rules()
    return newsroom.article(title="Bridge works", paragraphs=(FIRST, SECOND))


def select(page, n: int, words: str) -> None:
    """Select `words` in the n-th paragraph of the body, as a reader's drag does."""
    page.evaluate(
        """([n, words]) => {
          const el = document.querySelectorAll("[data-passage]")[n];
          const node = el.firstChild;
          const at = node.data.indexOf(words);
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + words.length);
          const selection = getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        }""",
        [n, words],
    )


def marked(page) -> list[str]:
    return page.eval_on_selector_all(
        "mark.inline-mark", "marks => marks.map(m => m.textContent)"
    )


def fill_panel(page, body: str, name: str = "Ada") -> None:
    form = page.locator(".inline-panel [data-inline-form]")
    form.locator("textarea[name=body]").fill(body)
    if form.locator("input[name=name]").count():
        form.locator("input[name=name]").fill(name)
        form.locator("input[name=email]").fill(f"{name.lower()}@example.org")
    form.locator("button[type=submit]").click()


def publish_in_admin(article: ArticlePage, *paragraphs: str) -> None:
    """An editor changes the body in Wagtail's edit form and publishes it."""
    editor = get_user_model().objects.create_superuser(
        f"editor{article.pk}{len(paragraphs)}", "editor@example.org", "pw"
    )
    client = Client()
    client.force_login(editor)
    article.refresh_from_db()
    ids = [child.id for child in article.body]
    body = {
        str(i): {
            "type": "paragraph",
            "value": rich_text(f"<p>{text}</p>"),
            "deleted": "",
            "order": str(i),
            "id": ids[i] if i < len(ids) else "",
        }
        for i, text in enumerate(paragraphs)
    }
    body["count"] = str(len(paragraphs))
    form = nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "date": article.date.isoformat(),
            "dateline": article.dateline,
            "lead": article.lead,
            "body": body,
            "tags": "",
            "comments": "default",
            "show_support": "on",
            "action-publish": "publish",
        }
    )
    response = client.post(f"/admin/pages/{article.pk}/edit/", form)
    assert response.status_code == 302, response.content[:3000]


def test_reader_selects_words_posts_feedback_opens_the_marker_and_replies(
    page, live_server, article
):
    page.goto(live_server.url + article.url)
    page.wait_for_selector("body[data-inline-ready]")
    select(page, 1, "a footpath")
    page.click(".inline-cta:text('Comment on this')")
    assert page.inner_text(".inline-panel .comment-form__quote") == "a footpath"
    fill_panel(page, PAYLOAD + " Yes, a *footpath*.")
    page.wait_for_selector(".inline-marker[aria-label='1 comment on this passage']")
    assert marked(page) == ["a footpath"]
    comment = Comment.objects.get()
    assert comment.passage_state == PassageState.ANCHORED
    # The panel opened on the new comment; the reply goes to the same passage.
    page.wait_for_selector(f".inline-panel #comment-{comment.pk}")
    page.click(f".inline-panel #comment-{comment.pk} [data-reply]")
    fill_panel(page, "Seconded.", name="Bo")
    page.wait_for_selector(".inline-marker[aria-label='2 comments on this passage']")
    page.wait_for_selector(".inline-panel .comment__replies .comment__body")
    reply = Comment.objects.exclude(pk=comment.pk).get()
    assert reply.parent_id == comment.pk and not reply.passage_state
    # The comment list under the report shows both at once, without a reload.
    listed = f"[data-discussion-comments] #comment-{comment.pk}"
    page.wait_for_selector(f"{listed} .comment__replies #comment-{reply.pk}")
    assert page.locator(f"[data-discussion-comments] #comment-{reply.pk}").count() == 1
    assert page.inner_text(".discussion-bubble__count") == "2"

    # Another reader sees the highlight and opens the conversation.
    other = page.context.browser.new_context().new_page()
    other.goto(live_server.url + article.url)
    other.click(".inline-marker")
    other.wait_for_selector(".inline-panel .comment__replies")
    assert "Seconded." in other.inner_text(".inline-panel")
    # Voting in the panel happens in place, and the list's copy follows.
    other.evaluate("window.__stayed = true")
    other.click(f".inline-panel #comment-{comment.pk} .vote__up")
    boxed = f"#comment-{comment.pk} > .comment__box [data-score]"
    other.wait_for_selector(f".inline-panel {boxed}:text-is('1')")
    other.wait_for_selector(f"[data-discussion-comments] {boxed}:text-is('1')")
    assert other.evaluate("window.__stayed") is True
    assert other.get_attribute(".inline-marker", "aria-expanded") == "true"
    assert other.evaluate("window.__xss") is None
    assert other.locator(".inline-panel img").count() == 0
    assert page.errors == []


def test_feedback_stays_on_its_words_after_an_edit_and_orphans_when_deleted(
    page, live_server, article
):
    page.goto(live_server.url + article.url)
    page.wait_for_selector("body[data-inline-ready]")
    select(page, 1, "later buses")
    page.click(".inline-cta")
    fill_panel(page, "Which lines?")
    page.wait_for_selector(".inline-marker")

    publish_in_admin(article, FIRST, "After a long evening meeting, " + SECOND)
    page.goto(live_server.url + article.url)
    page.wait_for_selector(".inline-marker[aria-label='1 comment on this passage']")
    assert marked(page) == ["later buses"]
    assert page.inner_text("[data-passage] >> nth=1").startswith("After a long")

    publish_in_admin(article, FIRST)
    page.goto(live_server.url + article.url)
    page.wait_for_selector("body[data-inline-ready]")
    page.wait_for_selector(".comment__passage--orphaned")
    assert page.locator(".inline-marker").count() == 0
    orphan = page.inner_text(".comment__passage--orphaned")
    assert "later buses" in orphan and "The passage was changed." in orphan
    assert Comment.objects.get().passage_state == PassageState.ORPHANED


def test_inline_filter_link_scrolls_to_and_highlights_the_passage(
    page, live_server, article
):
    page.goto(live_server.url + article.url)
    page.wait_for_selector("body[data-inline-ready]")
    select(page, 0, "river bridge")
    page.click(".inline-cta")
    fill_panel(page, "Which bridge?")
    page.wait_for_selector(".inline-marker")
    page.goto(live_server.url + article.url + "?sort=inline#comments")
    page.wait_for_selector(".inline-marker")
    page.click("[data-show-passage]")
    page.wait_for_selector("mark.inline-mark--focus")
    assert page.evaluate("document.activeElement.className") == "inline-marker"


def test_keyboard_only_reader_opens_a_marker_and_comments_on_a_paragraph(
    page, live_server, article
):
    page.goto(live_server.url + article.url)
    page.wait_for_selector("body[data-inline-ready]")
    select(page, 0, "river bridge")
    page.focus(".inline-cta")
    page.keyboard.press("Enter")
    page.keyboard.type("Keyboard feedback.")
    page.keyboard.press("Tab")
    page.keyboard.type("Kay")
    page.keyboard.press("Tab")
    page.keyboard.type("kay@example.org")
    page.locator(".inline-panel button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".inline-marker")
    page.keyboard.press("Escape")

    page.goto(live_server.url + article.url)
    page.wait_for_selector(".inline-marker")
    # Tab from the top of the page reaches the marker, a real button.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.className") == "inline-marker":
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "1 comment on this passage"
    )
    page.keyboard.press("Enter")
    page.wait_for_selector(".inline-panel .comment__body")
    assert "Keyboard feedback." in page.inner_text(".inline-panel")
    page.keyboard.press("Escape")
    assert page.locator(".inline-panel").count() == 0

    # The paragraph link leads to the form page; all by keyboard.
    page.focus("[data-passage-link] >> nth=1")
    page.keyboard.press("Enter")
    page.wait_for_selector("form.passage-form")
    page.focus("textarea[name=body]")
    page.keyboard.type("About the whole paragraph.")
    page.keyboard.press("Tab")
    page.keyboard.type("Kay")
    page.keyboard.press("Tab")
    page.keyboard.type("kay@example.org")
    page.focus("form.passage-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**#comment-*")
    whole = Comment.objects.get(body_markdown="About the whole paragraph.")
    assert whole.passage_exact == SECOND


def test_no_js_reader_comments_on_a_paragraph(browser, live_server, article):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + article.url)
    tab.click("[data-passage-link] >> nth=0")
    tab.fill("textarea[name=body]", "No script needed.")
    tab.fill("input[name=name]", "Noel")
    tab.fill("input[name=email]", "noel@example.org")
    tab.click("form.passage-form button[type=submit]")
    tab.wait_for_url("**#comment-*")
    assert "No script needed." in tab.content()
    assert FIRST in tab.inner_text(".comment__quote")
    context.close()


def test_editors_prompt_button_opens_feedback_on_its_passage(page, live_server):
    factories.rules()
    prompted = newsroom.article(
        title="Prompted",
        body=[
            {"type": "paragraph", "value": f"<p>{FIRST}</p>"},
            {
                "type": "feedback_prompt",
                "value": {
                    "passage": "<p>The works will end on time.</p>",
                    "question": "Do you agree?",
                },
            },
        ],
    )
    page.goto(live_server.url + prompted.url)
    page.wait_for_selector("body[data-inline-ready]")
    page.click("[data-feedback-prompt]:text('Do you agree?')")
    quote = page.inner_text(".inline-panel .comment-form__quote")
    assert quote == "The works will end on time."
    fill_panel(page, "Not with this weather.")
    page.wait_for_selector(".feedback-prompt .inline-marker")
    assert marked(page) == ["The works will end on time."]
