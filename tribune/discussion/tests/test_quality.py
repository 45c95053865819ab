"""The comment section's pages: valid HTML5 and no serious accessibility problems."""

import pytest
from django.test import Client
from django.urls import reverse

from tribune.core.testing import axe_violations, html5_errors
from tribune.discussion import conf, services, spam
from tribune.discussion.models import ModerationPolicy
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom


def busy_thread():
    """A report whose thread shows every kind of comment the templates render."""
    factories.rules()
    article = newsroom.article()
    thread = factories.thread(article)
    author = factories.guest_viewer()
    top = factories.comment(
        in_thread=thread, viewer=author, body="*Top* [link](https://example.org)"
    )
    chain = top
    for _ in range(6):
        chain = factories.comment(parent=chain, body="> quoted\n\n- a\n- b")
    gone = factories.comment(parent=top, viewer=author)
    factories.comment(parent=gone)
    services.delete_comment(comment=gone, viewer=author)
    held = factories.comment(
        in_thread=thread,
        viewer=author,
        settings=factories.rules(moderation=ModerationPolicy.HOLD_ALL),
    )
    factories.rules()
    services.vote(comment=chain, viewer=author, value=1, state="open")
    return article, author, top, held


def pages(client, article, top):
    """(name, response) for each page of the comment section a reader can reach."""
    yield "article", client.get(article.url)
    yield "focus", client.get(f"{article.url}?comment={top.pk}&sort=voted")
    yield "reply", client.get(f"{article.url}?replyto={top.pk}")
    yield (
        "errors",
        client.post(
            reverse("discussion:post", args=[article.pk]),
            {"body": "", "email": "bad", "started": spam.issue_form_token()},
        ),
    )
    yield "edit", client.get(reverse("discussion:edit", args=[top.pk]))
    yield "delete", client.get(reverse("discussion:delete", args=[top.pk]))
    yield "report", client.get(reverse("discussion:report", args=[top.pk]))
    yield "signup", client.get(reverse("discussion:account_signup"))
    yield (
        "signup-errors",
        client.post(
            reverse("discussion:account_signup"), {"email": "x", "password": "1"}
        ),
    )
    yield "login", client.get(reverse("discussion:account_login"))
    yield "confirm", client.get("/comments/account/confirm/MQ/token/")


def as_author(client, author):
    from django.http import HttpResponse

    from tribune.discussion import identity

    response = HttpResponse()
    identity.remember_guest(response, author)
    client.cookies.update(response.cookies)
    return client


@pytest.mark.django_db
def test_comment_pages_are_valid_html5(settings):
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    article, author, top, _held = busy_thread()
    client = as_author(Client(), author)
    rendered = []
    for name, response in pages(client, article, top):
        assert response.status_code in (200, 400), name
        rendered.append((name, response.content))
    assert html5_errors(rendered) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_comment_section_has_no_serious_accessibility_violations(live_server, browser):
    article, author, top, _held = busy_thread()
    context = browser.new_context(bypass_csp=True)
    cookie = as_author(Client(), author).cookies[conf.get("GUEST_COOKIE")]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )
    tab = context.new_page()
    failures = []
    for query in ["", f"?replyto={top.pk}"]:
        tab.goto(live_server.url + article.url + query)
        assert tab.locator(".comment__held").count() == 1  # the author's view
        failures += axe_violations(tab, "#comments")
    context.close()
    assert failures == []
