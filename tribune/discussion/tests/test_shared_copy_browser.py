"""A reader who took part reloads and gets the shared copy, with their own state
applied by the script from /api/threads/<id>/me (decision 0024)."""

import urllib.request

import pytest

from tribune.discussion.models import Comment
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article(settings):
    settings.PAGECACHE_SECONDS = 60
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    factories.rules()
    page = newsroom.article(title="Bridge works resume")
    factories.comment(in_thread=factories.thread(page), body="Someone else's view")
    factories.rules(moderation="hold_all")
    return page


def store_anonymous_copy(url):
    with urllib.request.urlopen(url) as response:
        assert response.status == 200


def test_a_reader_who_took_part_gets_the_shared_copy_and_their_state(
    page, live_server, article
):
    url = live_server.url + article.url
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.wait_for_selector("[data-discussion][data-reader-state=applied]")
    other = Comment.objects.get()
    page.click(f"#comment-{other.pk} > .comment__box .vote__up")
    page.wait_for_selector(
        f"#comment-{other.pk} > .comment__box .vote__up[aria-pressed=true]"
    )
    page.fill("#id_body", "My held thoughts")
    page.fill("#id_name", "Ada")
    page.fill("#id_email", "ada@example.org")
    page.click("text=Post comment")
    page.wait_for_selector(".comment--held .comment__held")
    held = Comment.objects.exclude(pk=other.pk).get()
    assert held.status == "pending"

    store_anonymous_copy(url)
    # Only the guest cookie is kept: the token must come from /me.
    page.context.clear_cookies(name="csrftoken")
    response = page.reload()
    assert response.headers["x-page-cache"] == "shared"
    assert "My held thoughts" not in response.text()
    page.wait_for_selector("[data-discussion][data-reader-state=applied]")
    item = page.locator(f"#comment-{held.pk}")
    assert "Awaiting moderation" in item.inner_text()
    assert item.locator(".comment__deadline time").count() == 1
    assert (
        page.get_attribute(
            f"#comment-{other.pk} > .comment__box .vote__up", "aria-pressed"
        )
        == "true"
    )
    assert page.input_value("#id_name") == "Ada"
    assert page.input_value("#id_email") == "ada@example.org"

    page.fill("#id_body", "A second thought")
    page.click("text=Post comment")
    page.wait_for_selector(".comment__body >> text=A second thought")
    assert page.inner_text("[data-form-status]") == ""
    assert Comment.objects.filter(body_markdown="A second thought").exists()
    assert not errors, errors


def test_without_javascript_the_reader_gets_their_own_render(
    browser, live_server, article
):
    url = live_server.url + article.url
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(url)
    tab.fill("#id_body", "Posted without a script")
    tab.fill("#id_name", "Bo")
    tab.fill("#id_email", "bo@example.org")
    tab.click("text=Post comment")
    store_anonymous_copy(url)
    response = tab.goto(url)
    assert response.headers.get("x-page-cache") != "shared"
    assert "Posted without a script" in tab.content()
    assert "Awaiting moderation" in tab.content()
    context.close()
