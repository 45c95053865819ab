"""The article's shared copy: the same bytes for every reader whose browser runs the
page script, with no reader's state, token or cookie in it (decision 0024)."""

import gzip
import re

import pytest
from django.middleware.csrf import (  # type: ignore[attr-defined]  # not in the stubs
    _unmask_cipher_token,
)
from django.test import Client
from django.urls import reverse

from tribune.core import pagecache
from tribune.discussion import spam
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db

JS = {"tribune_js": "1"}


@pytest.fixture
def article(settings):
    settings.PAGECACHE_SECONDS = 60
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    factories.rules(moderation="hold_all")
    page = newsroom.article()
    thread = factories.thread(page)
    factories.comment(in_thread=thread, body="Everyone sees this")
    return page


def _approved(article):
    factories.rules()
    return factories.comment(in_thread=factories.thread(article), body="Public words")


def _with_script(client):
    client.cookies["tribune_js"] = "1"
    return client


def _voter(comment):
    guest = Client()
    guest.post(reverse("discussion:vote", args=[comment.pk]), {"value": "up"})
    assert "tribune_guest" in guest.cookies
    return guest


def _held_commenter(article):
    factories.rules(moderation="hold_all")
    guest = Client()
    response = guest.post(
        reverse("discussion:post", args=[article.pk]),
        {
            "body": "My held secret words",
            "name": "Hidden Name",
            "email": "hidden@example.org",
            "key": "k" * 32,
            "started": spam.issue_form_token(),
        },
    )
    assert response.status_code == 303
    return guest


def test_every_reader_with_the_script_gets_the_same_bytes_without_their_state(
    article,
):
    comment = _approved(article)
    voter = _voter(comment)
    commenter = _held_commenter(article)
    member = Client()
    member.force_login(factories.user(first_name="Signed", last_name="Member"))
    Client().get(article.url)  # an anonymous render stores the copy

    readers = [_with_script(c) for c in (Client(), voter, commenter, member)]
    responses = [reader.get(article.url) for reader in readers]

    assert {r["X-Page-Cache"] for r in responses} == {"shared"}
    bodies = {r.content for r in responses}
    assert len(bodies) == 1
    page = bodies.pop().decode()
    assert "Public words" in page
    assert "My held secret words" not in page
    assert "Hidden Name" not in page
    assert 'aria-pressed="true"' not in page
    assert "Signed Member" not in page
    assert 'class="discussion__account" method="post"' not in page
    # No per-request value: every token field is empty, no cookie is set.
    assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', page) == [""] * (
        page.count('name="csrfmiddlewaretoken"')
    )
    assert re.search(r'name="(key|started)" value="[^"]', page) is None
    assert all(not r.cookies for r in responses)
    assert all(r["X-Accel-Expires"] == "5" for r in responses)


def test_the_first_reader_after_an_invalidation_stores_the_copy_not_their_own(
    article,
):
    # On a hot thread the first reader after a new comment is often one who takes
    # part: they get (and store) the anonymous render, never a render of their own.
    comment = _approved(article)
    voter = _with_script(_voter(comment))
    member = Client()
    member.force_login(factories.user(first_name="Signed", last_name="Member"))
    for n, reader in enumerate((voter, _with_script(member))):
        factories.comment(in_thread=comment.thread, body=f"Fresh words {n}")
        pagecache.invalidate(article.url)  # as a new comment's commit does
        first = reader.get(article.url)
        assert first["X-Page-Cache"] == "shared"
        assert f"Fresh words {n}".encode() in first.content
        assert b'aria-pressed="true"' not in first.content
        assert b"Signed Member" not in first.content
        assert Client().get(article.url)["X-Page-Cache"] == "hit"


def test_a_page_that_cannot_be_stored_is_the_readers_own(article):
    member = _with_script(Client())
    member.force_login(factories.user(email="member@example.org"))
    for _ in range(2):
        response = member.get(reverse("selfservice:start"))
        assert response.status_code == 200
        assert response.get("X-Page-Cache") != "shared"
        assert b"member@example.org" in response.content


def test_a_page_that_is_not_stored_is_rendered_once_for_a_scripted_reader(article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Client().get("/no-such-report/")  # per-process caches warm
    costs = []
    for reader in (Client(), _with_script(Client())):
        with CaptureQueriesContext(connection) as queries:
            assert reader.get("/no-such-report/").status_code == 404
        costs.append(len(queries))
    assert costs[0] > 0
    assert costs[1] == costs[0]


def test_the_shared_copy_equals_the_anonymous_copy_with_its_holes_empty(article):
    anonymous = Client().get(article.url).content.decode()
    shared = _with_script(Client()).get(article.url).content.decode()
    emptied = re.sub(
        r'(name="(?:csrfmiddlewaretoken|key|started)" value=")[^"]*"', r'\1"', anonymous
    )
    assert shared == emptied


def test_browsers_that_take_gzip_get_the_copy_compressed_once(article):
    """The shared copy is compressed when stored, not per response: the same
    compressed bytes for everyone (Django's per-response gzip pads each with
    random bytes against BREACH; the shared copy holds no secret to guard)."""
    plain = _with_script(Client()).get(article.url)
    gzip_readers = [_with_script(Client()) for _ in range(2)]
    compressed = [
        c.get(article.url, headers={"accept-encoding": "gzip, deflate, br"})
        for c in gzip_readers
    ]
    assert {r["X-Page-Cache"] for r in compressed} == {"shared"}
    assert {r["Content-Encoding"] for r in compressed} == {"gzip"}
    assert compressed[0].content == compressed[1].content
    assert gzip.decompress(compressed[0].content) == plain.content
    assert int(compressed[0]["Content-Length"]) == len(compressed[0].content)
    assert "Content-Encoding" not in plain
    for response in (plain, *compressed):
        varies = [v.strip().lower() for v in response["Vary"].split(",")]
        assert "accept-encoding" in varies and "cookie" not in varies
        assert not response.cookies


def test_without_the_script_a_reader_who_voted_gets_their_own_render(article):
    comment = _approved(article)
    voter = _voter(comment)
    Client().get(article.url)
    response = voter.get(article.url)
    assert response.get("X-Page-Cache") is None
    assert b'aria-pressed="true"' in response.content
    assert re.search(rb'name="csrfmiddlewaretoken" value="\w{64}"', response.content)


def test_without_the_script_an_anonymous_reader_gets_filled_tokens(article):
    Client().get(article.url)
    response = Client().get(article.url)
    assert response["X-Page-Cache"] == "hit"
    assert re.search(rb'name="csrfmiddlewaretoken" value="\w{64}"', response.content)
    assert "csrftoken" in response.cookies


def test_without_the_script_a_gzip_reader_gets_its_own_tokens_compressed(article):
    """A hit's holes go into the compressed copy per response (core/gzipparts):
    each reader their own token and cookie, each answer a valid gzip body."""
    Client().get(article.url)
    plain = Client().get(article.url)
    bodies = []
    for _ in range(2):
        reader = Client()
        response = reader.get(article.url, headers={"accept-encoding": "gzip"})
        assert response["X-Page-Cache"] == "hit"
        assert response["Content-Encoding"] == "gzip"
        assert "accept-encoding" in response["Vary"].lower()
        assert int(response["Content-Length"]) == len(response.content)
        page = gzip.decompress(response.content)
        token = re.search(rb'name="csrfmiddlewaretoken" value="(\w{64})"', page)
        assert token and "csrftoken" in response.cookies
        # The token is this reader's cookie secret, masked.
        secret = response.cookies["csrftoken"].value
        assert _unmask_cipher_token(token.group(1).decode()) == secret
        bodies.append(page)
    first, second = bodies
    assert first != second  # tokens differ per reader
    blank = rb'(name="(?:csrfmiddlewaretoken|key|started)" value=")[^"]*"'
    assert re.sub(blank, rb'\1"', first) == re.sub(blank, rb'\1"', plain.content)


def test_staff_and_flash_messages_are_never_answered_with_the_shared_copy(article):
    Client().get(article.url)
    for cookie in ("tribune_staff", "messages"):
        reader = _with_script(Client())
        reader.cookies[cookie] = "1"
        assert reader.get(article.url).get("X-Page-Cache") != "shared"


def test_a_staff_sign_in_sets_the_staff_cookie_and_sign_out_drops_it(article):
    factories.user(username="editor", is_staff=True)
    browser = Client()
    response = browser.post(
        reverse("discussion:account_login"),
        {"username": "editor", "password": "pw-for-tests-1"},
    )
    assert response.cookies["tribune_staff"].value == "1"
    response = browser.post(reverse("discussion:account_logout"))
    assert response.cookies["tribune_staff"]["max-age"] == 0


def test_a_reader_sign_in_sets_no_staff_cookie(article):
    factories.user(username="reader")
    response = Client().post(
        reverse("discussion:account_login"),
        {"username": "reader", "password": "pw-for-tests-1"},
    )
    assert "tribune_staff" not in response.cookies


def test_a_page_with_comments_hidden_is_not_shared(article):
    article.comments = "hidden"
    article.save_revision().publish()
    Client().get(article.url)
    assert _with_script(Client()).get(article.url)["X-Page-Cache"] == "hit"


def test_a_post_without_a_token_is_refused(article):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        reverse("discussion:post", args=[article.pk]),
        {"body": "Cross-site", "name": "X", "email": "x@example.org"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
