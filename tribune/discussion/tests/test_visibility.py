"""Every route that shows or acts on a comment hides what a reader may not see.

Held, spam and deleted comments, and comments in a private section, must not be
readable by an anonymous reader, another guest or a signed-in reader without
staff rights: single-comment routes answer 404 (as for an id that does not
exist) and listings leave them out.
"""

import json

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tribune.discussion import conf, services
from tribune.discussion.identity import GUEST_SALT
from tribune.discussion.models import (
    Action,
    Comment,
    ModerationPolicy,
    PassageState,
)
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db

SECRETS = ("SECRET-HELD", "SECRET-SPAM", "SECRET-DELETED", "SECRET-PRIVATE")


def guest_client(token: str) -> Client:
    """A browser carrying the signed guest cookie of `token`."""
    client = Client()
    name = conf.get("GUEST_COOKIE")
    client.cookies[name] = signing.get_cookie_signer(salt=name + GUEST_SALT).sign(token)
    return client


@pytest.fixture
def world():
    factories.rules()
    staff = factories.user(is_staff=True, is_superuser=True)
    article = newsroom.article()
    thread = factories.thread(article)
    factories.comment(in_thread=thread, body="A visible comment.")
    author = factories.guest_viewer()
    held = factories.comment(
        in_thread=thread,
        body="SECRET-HELD",
        viewer=author,
        settings=factories.rules(moderation=ModerationPolicy.HOLD_ALL),
    )
    factories.rules()
    spam = factories.comment(in_thread=thread, body="SECRET-SPAM")
    deleted = factories.comment(in_thread=thread, body="SECRET-DELETED")
    services.moderate_comments(
        comment_ids=[spam.pk], action=Action.SPAM, moderator=staff
    )
    services.moderate_comments(
        comment_ids=[deleted.pk], action=Action.DELETE, moderator=staff
    )
    section = newsroom.series()
    PageViewRestriction.objects.create(
        page=section,
        restriction_type="password",
        password="letmein",
    )
    private_article = newsroom.article(in_series=section)
    private = factories.comment(
        in_thread=factories.thread(private_article), body="SECRET-PRIVATE"
    )
    comments = [held, spam, deleted, private]
    # As inline feedback too, so the passage panel and the passages API are walked.
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(
        passage_state=PassageState.ANCHORED, passage_block="b.0", passage_exact="x"
    )
    return {
        "articles": [article, private_article],
        "comments": comments,
        "author": author,
        "held": held,
        "staff": staff,
    }


def anonymous():
    return Client()


def another_guest():
    return guest_client(factories.guest_viewer().guest_token)


def signed_in_reader():
    client = Client()
    client.force_login(factories.user())
    return client


def single_comment_requests(comment_id):
    """(label, method, path, body) of every route that names one comment."""
    pages = [
        ("report", "get", "report", None),
        ("report", "post", "report", {"reason": "x"}),
        ("edit", "get", "edit", None),
        ("edit", "post", "edit", {"body": "changed"}),
        ("delete", "get", "delete", None),
        ("delete", "post", "delete", {}),
        ("vote", "post", "vote", {"value": "up"}),
    ]
    for label, method, name, body in pages:
        yield label, method, reverse(f"discussion:{name}", args=[comment_id]), body
    api = reverse("discussion:api_comment", args=[comment_id])
    yield "api edit", "patch", api, {"body": "changed"}
    yield "api delete", "delete", api, None
    for name, body in (("api_vote", {"value": 1}), ("api_report", {"reason": "x"})):
        yield name, "post", reverse(f"discussion:{name}", args=[comment_id]), body


def send(client, method, path, body):
    if path.startswith("/api/"):
        return getattr(client, method)(
            path, json.dumps(body or {}), content_type="application/json"
        )
    if method == "get":
        return client.get(path)
    return client.post(path, body or {})


def listing_paths(world):
    for article in world["articles"]:
        ids = [c.pk for c in world["comments"]]
        query = "&".join(f"c={i}" for i in ids)
        yield article.url
        for comment_id in ids:
            yield f"{article.url}?comment={comment_id}"
        yield reverse("discussion:fragment", args=[article.pk])
        yield reverse("discussion:fragment", args=[article.pk]) + "?call=1"
        yield reverse("discussion:passage_comments", args=[article.pk]) + "?" + query
        yield reverse("discussion:api_thread", args=[article.pk])
        yield reverse("discussion:api_passages", args=[article.pk])


@pytest.mark.parametrize("make_client", [anonymous, another_guest, signed_in_reader])
def test_hidden_comments_are_404_or_absent_on_every_route(world, make_client):
    client = make_client()
    before = {c.pk: Comment.objects.get(pk=c.pk).status for c in world["comments"]}
    leaks = []
    for comment in world["comments"]:
        for label, method, path, body in single_comment_requests(comment.pk):
            response = send(client, method, path, body)
            if response.status_code != 404:
                leaks.append((label, method, path, response.status_code))
    for path in listing_paths(world):
        response = client.get(path)
        text = response.content.decode()
        found = [s for s in SECRETS if s in text]
        if found or response.status_code >= 500:
            leaks.append(("listing", "get", path, found or response.status_code))
    assert leaks == []
    # Nothing was changed through the routes either.
    for comment in world["comments"]:
        fresh = Comment.objects.get(pk=comment.pk)
        assert (fresh.status, fresh.upvotes, fresh.report_count) == (
            before[comment.pk],
            0,
            0,
        )


def test_the_author_of_a_held_comment_sees_it_awaiting_moderation(world):
    client = guest_client(world["author"].guest_token)
    page = client.get(world["articles"][0].url).content.decode()
    assert "SECRET-HELD" in page
    assert "Awaiting moderation" in page
    edit = client.get(reverse("discussion:edit", args=[world["held"].pk]))
    assert edit.status_code == 200
    assert "SECRET-HELD" in edit.content.decode()


def test_staff_see_every_comment_on_the_single_comment_routes(world):
    client = Client()
    client.force_login(world["staff"])
    for comment in world["comments"][:3]:
        response = client.get(reverse("discussion:report", args=[comment.pk]))
        assert response.status_code == 200


def test_a_missing_and_a_held_comment_get_the_same_answer(world):
    client = anonymous()
    missing = client.get(reverse("discussion:report", args=[999_999]))
    held = client.get(reverse("discussion:report", args=[world["held"].pk]))
    assert (missing.status_code, held.status_code) == (404, 404)
    api_missing = client.post(
        reverse("discussion:api_vote", args=[999_999]),
        json.dumps({"value": 1}),
        content_type="application/json",
    )
    api_held = client.post(
        reverse("discussion:api_vote", args=[world["held"].pk]),
        json.dumps({"value": 1}),
        content_type="application/json",
    )
    assert api_missing.json() == api_held.json()
