import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tribune.discussion import comment_views, conf, schemas, spam
from tribune.discussion.api import api
from tribune.discussion.models import Comment, ModerationPolicy, Vote
from tribune.discussion.tests import factories
from tribune.newsroom.models import CommentsMode
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"
# Generated from the operations and schemas (api.py, schemas.py).
DOCUMENT = api.document()


@pytest.fixture
def article():
    factories.rules()
    return newsroom.article()


def call(client, method, url, payload=None, **extra):
    body = json.dumps(payload) if payload is not None else ""
    response = getattr(client, method)(
        url, body, content_type="application/json", **extra
    )
    return response.status_code, response.json()


def new_comment(**fields):
    data = {
        "body": "Data from the river gauge matches the county's table.",
        "name": "Tomas",
        "email": "tomas@example.org",
        "started": spam.issue_form_token(),
        "key": "k1",
    }
    data.update(fields)
    return data


def thread_url(article):
    return reverse("discussion:api_thread", args=[article.pk])


def test_post_creates_comment_and_returns_its_html(client, article):
    status, data = call(client, "post", thread_url(article), new_comment())
    assert status == 201
    comment = Comment.objects.get()
    assert data["comment"]["id"] == comment.pk
    assert data["comment"]["author"] == {
        "name": "Tomas",
        "website": None,
        "badge": None,
    }
    assert "tomas@example.org" not in json.dumps(data)
    assert f'id="comment-{comment.pk}"' in data["html"]
    assert data["count"] == 1
    assert data["held"] is False


@pytest.mark.parametrize("reply", [False, True])
def test_the_posted_answer_is_the_published_schema_exactly(client, article, reply):
    """The view renders its answer without ninja validating it again
    (JsonApi.answer): it must still be a schemas.Posted, with nothing coerced."""
    fields = {}
    if reply:
        _, first = call(client, "post", thread_url(article), new_comment(key="k0"))
        fields["parent"] = first["comment"]["id"]
    response = client.post(
        thread_url(article),
        json.dumps(new_comment(website="https://example.org/a", **fields)),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json; charset=utf-8"
    posted = schemas.Posted.model_validate_json(response.content)
    assert json.loads(response.content) == posted.model_dump(mode="json")
    assert response.json()["comment"]["author"]["website"] == "https://example.org/a"
    # The guest's cookie, set on the response ninja handed the view, once.
    assert (conf.get("GUEST_COOKIE") in response.cookies) is not reply


def test_post_repeated_with_the_same_key_creates_one_comment(client, article):
    call(client, "post", thread_url(article), new_comment(key="same"))
    status, _ = call(client, "post", thread_url(article), new_comment(key="same"))
    assert status == 201
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "status", "code", "field"),
    [
        ({"body": ""}, 400, "invalid_comment", "body"),
        ({"email": "x"}, 400, "invalid_comment", "email"),
        ({"body": 5}, 400, "bad_type", "body"),
        ({"parent": "one"}, 400, "bad_type", "parent"),
        ({"parent": 99999}, 400, "invalid_parent", "parent"),
        ({"nickname": "spam"}, 400, "honeypot", None),
        ({"started": "forged"}, 400, "bad_form", None),
    ],
)
def test_post_errors_have_code_message_and_field(
    client, article, fields, status, code, field
):
    got, data = call(client, "post", thread_url(article), new_comment(**fields))
    assert got == status
    assert data["error"]["code"] == code
    assert data["error"]["message"]
    assert data["error"].get("field") == field
    assert not Comment.objects.exists()


def test_post_to_closed_thread_is_forbidden(client):
    factories.rules()
    article = newsroom.article(comments=CommentsMode.CLOSED)
    status, data = call(client, "post", thread_url(article), new_comment())
    assert (status, data["error"]["code"]) == (403, "thread_closed")


def test_posting_follows_the_report_after_its_thread_is_remembered(client, article):
    # The first post makes the thread; the second is served from memory.
    for key in ("a", "b"):
        assert call(client, "post", thread_url(article), new_comment(key=key))[0] == 201
    article.comments = CommentsMode.CLOSED
    article.save_revision().publish()
    status, data = call(client, "post", thread_url(article), new_comment(key="c"))
    assert (status, data["error"]["code"]) == (403, "thread_closed")
    article.comments = CommentsMode.OPEN
    article.save_revision().publish()
    assert call(client, "post", thread_url(article), new_comment(key="d"))[0] == 201
    article.unpublish()
    status, data = call(client, "post", thread_url(article), new_comment(key="e"))
    assert (status, data["error"]["code"]) == (404, "not_found")
    assert Comment.objects.count() == 3


def test_post_returns_the_exact_count_after_posts_made_elsewhere(client, article):
    for key in ("a", "b"):  # the thread is made, then remembered
        call(client, "post", thread_url(article), new_comment(key=key))
    thread = Comment.objects.first().thread
    factories.comment(in_thread=thread)
    factories.comment(in_thread=thread)
    status, data = call(client, "post", thread_url(article), new_comment(key="c"))
    assert (status, data["count"]) == (201, 5)


def test_post_rate_limited_is_429(client, article, settings):
    settings.DISCUSSION_RATE_PER_IP_PER_MINUTE = 1
    call(client, "post", thread_url(article), new_comment(key="a"))
    status, data = call(client, "post", thread_url(article), new_comment(key="b"))
    assert (status, data["error"]["code"]) == (429, "rate_limited")


def test_malformed_json_is_400(client, article):
    response = client.post(
        thread_url(article), "{nope", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_json"


def test_writes_without_csrf_token_are_refused_in_json():
    strict = Client(enforce_csrf_checks=True)
    factories.rules()
    article = newsroom.article()
    status, data = call(strict, "post", thread_url(article), new_comment())
    assert (status, data["error"]["code"]) == (403, "csrf_failed")


def test_wrong_method_is_405_with_allow_header(client, article):
    comment = factories.comment(in_thread=factories.thread(article))
    response = client.get(reverse("discussion:api_vote", args=[comment.pk]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_unknown_things_are_404_in_json(client, article):
    status, data = call(client, "post", "/api/comments/99999/vote", {"value": 1})
    assert (status, data["error"]["code"]) == (404, "not_found")
    assert client.get("/api/threads/99999/comments").status_code == 404
    assert client.get("/api/nothing/here").json()["error"]["code"] == "not_found"


def test_list_pages_with_a_cursor_and_nests_replies(client, article, settings):
    settings.DISCUSSION_PAGE_SIZE = 2
    thread = factories.thread(article)
    tops = [factories.comment(in_thread=thread) for _ in range(3)]
    reply = factories.comment(parent=tops[0])
    status, first = call(client, "get", thread_url(article))
    assert status == 200
    assert [c["id"] for c in first["comments"]] == [tops[0].pk, tops[1].pk]
    assert first["comments"][0]["replies"][0]["id"] == reply.pk
    assert first["count"] == 4
    assert first["form_token"]
    _, second = call(
        client, "get", f"{thread_url(article)}?cursor={first['next_cursor']}"
    )
    assert [c["id"] for c in second["comments"]] == [tops[2].pk]
    assert second["next_cursor"] is None


def test_bad_cursor_is_400(client, article):
    status, data = call(client, "get", f"{thread_url(article)}?cursor=abc")
    assert (status, data["error"]["code"]) == (400, "bad_cursor")


def test_list_never_exposes_emails_or_deleted_text(client, article):
    viewer = factories.guest_viewer()
    top = factories.comment(in_thread=factories.thread(article), viewer=viewer)
    factories.comment(parent=top)
    from tribune.discussion import services

    services.delete_comment(comment=top, viewer=viewer)
    _, data = call(client, "get", thread_url(article))
    text = json.dumps(data)
    assert "@example.org" not in text
    placeholder = data["comments"][0]
    assert (placeholder["status"], placeholder["body_html"], placeholder["author"]) == (
        "deleted",
        None,
        None,
    )


def test_vote_change_and_withdraw(client, article):
    comment = factories.comment(in_thread=factories.thread(article))
    url = reverse("discussion:api_vote", args=[comment.pk])
    status, data = call(client, "post", url, {"value": 1})
    assert (status, data["comment"]["score"], data["comment"]["my_vote"]) == (200, 1, 1)
    _, data = call(client, "post", url, {"value": -1})
    assert (data["comment"]["upvotes"], data["comment"]["downvotes"]) == (0, 1)
    _, data = call(client, "post", url, {"value": 0})
    assert data["comment"]["score"] == 0
    assert not Vote.objects.exists()


@pytest.mark.parametrize("value", [2, "up", True, None])
def test_vote_value_must_be_minus_one_zero_or_one(client, article, value):
    comment = factories.comment(in_thread=factories.thread(article))
    url = reverse("discussion:api_vote", args=[comment.pk])
    status, data = call(client, "post", url, {"value": value})
    assert status == 400
    assert data["error"]["code"] == "bad_vote"


def test_vote_on_own_comment_is_403(client, article):
    _, data = call(client, "post", thread_url(article), new_comment())
    url = reverse("discussion:api_vote", args=[data["comment"]["id"]])
    status, data = call(client, "post", url, {"value": 1})
    assert (status, data["error"]["code"]) == (403, "vote_not_allowed")


def test_edit_and_delete_own_comment(client, article):
    _, data = call(client, "post", thread_url(article), new_comment())
    url = reverse("discussion:api_comment", args=[data["comment"]["id"]])
    status, data = call(client, "patch", url, {"body": "**Fixed**"})
    assert status == 200
    assert data["comment"]["body_html"] == "<p><strong>Fixed</strong></p>"
    assert data["comment"]["edited_at"]
    status, data = call(client, "delete", url)
    assert (status, data["comment"]["status"]) == (200, "deleted")


def test_edit_from_another_browser_is_403(client, article):
    _, data = call(client, "post", thread_url(article), new_comment())
    url = reverse("discussion:api_comment", args=[data["comment"]["id"]])
    status, data = call(Client(), "patch", url, {"body": "mine now"})
    assert (status, data["error"]["code"]) == (403, "edit_not_allowed")


def test_held_comment_reports_held(client, article):
    factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    status, data = call(client, "post", thread_url(article), new_comment())
    assert status == 201
    assert data["held"] is True
    assert data["comment"]["status"] == "pending"
    assert data["count"] == 0


def test_report_via_api(client, article):
    comment = factories.comment(in_thread=factories.thread(article))
    status, data = call(
        client, "post", reverse("discussion:api_report", args=[comment.pk]), {}
    )
    assert (status, data) == (201, {"reported": comment.pk})


def test_counts_for_many_urls_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    factories.rules()
    articles = [newsroom.article() for _ in range(3)]
    for article in articles[:2]:
        factories.comment(in_thread=factories.thread(article))
    factories.comment(in_thread=factories.thread(articles[0]))
    query = "&".join(f"url={a.url}" for a in articles)
    query += "&url=http://testserver" + articles[1].url + "&url=/no/such/page/"
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/counts?{query}")
    counts = response.json()["counts"]
    assert counts[articles[0].url] == 2
    assert counts[articles[1].url] == 1
    assert counts[articles[2].url] == 0
    assert counts["http://testserver" + articles[1].url] == 1
    assert counts["/no/such/page/"] is None


def test_counts_needs_urls(client, db):
    assert client.get("/api/counts").json()["error"]["code"] == "no_urls"


def test_openapi_document_matches_the_snapshot(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json() == DOCUMENT
    assert json.loads(SNAPSHOT.read_text()) == DOCUMENT, (
        "The API description changed; if deliberate, update "
        "tribune/discussion/tests/snapshots/openapi.json"
    )


def test_every_api_route_is_documented():
    from tribune.discussion import urls

    documented = {p.replace("{", "<").replace("}", ">") for p in DOCUMENT["paths"]}
    routes = {
        "/api/" + str(route.pattern).replace("<id:", "<")
        for p in urls.urlpatterns
        if str(p.pattern) == "api/"
        for route in p.url_patterns
    }
    routes.discard("/api/openapi.json")
    assert routes == documented


def test_cookie_less_votes_get_429_in_the_error_shape_after_the_limit(article):
    factories.rules(new_guests_per_ip_per_hour=10)
    comment = factories.comment(in_thread=factories.thread(article))
    url = reverse("discussion:api_vote", args=[comment.pk])
    answers = [call(Client(), "post", url, {"value": 1}) for _ in range(25)]
    comment.refresh_from_db()
    assert comment.upvotes == 10
    assert [status for status, _ in answers] == [200] * 10 + [429] * 15
    assert answers[-1][1]["error"]["code"] == "too_many_guests"


def test_votes_from_one_ipv6_64_share_one_limit(client, article):
    factories.rules(votes_per_ip_per_hour=2)
    thread = factories.thread(article)
    statuses = [
        call(
            client,
            "post",
            reverse(
                "discussion:api_vote", args=[factories.comment(in_thread=thread).pk]
            ),
            {"value": 1},
            REMOTE_ADDR=f"2001:db8:7:7::{n}",
        )[0]
        for n in range(1, 4)
    ]
    assert statuses == [200, 200, 429]


HUGE = 10**30


@pytest.mark.parametrize(
    ("method", "url", "payload"),
    [
        ("post", f"/api/threads/{HUGE}/comments", {"body": "x"}),
        ("post", f"/api/threads/{2**63}/comments", {"body": "x"}),
        ("get", f"/api/threads/{HUGE}/comments", None),
        ("get", f"/api/threads/{HUGE}/passages", None),
        ("patch", f"/api/comments/{HUGE}", {"body": "x"}),
        ("delete", f"/api/comments/{HUGE}", None),
        ("post", f"/api/comments/{HUGE}/vote", {"value": 1}),
        ("post", f"/api/comments/{HUGE}/report", {}),
    ],
)
def test_ids_beyond_the_database_are_not_found(client, article, method, url, payload):
    status, data = call(client, method, url, payload)
    assert status == 404
    assert data["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", f"/comments/{HUGE}/list/"),
        ("post", f"/comments/{HUGE}/post/"),
        ("post", f"/comments/c/{HUGE}/vote/"),
        ("get", f"/comments/c/{HUGE}/report/"),
        ("post", f"/subscriptions/{HUGE}/subscribe/"),
    ],
)
def test_reader_urls_with_ids_beyond_the_database_are_not_found(client, method, url):
    assert getattr(client, method)(url).status_code == 404


def raw_post(client, url, body, content_type="application/json"):
    response = client.post(url, body, content_type=content_type)
    return response.status_code, response.json()


def test_deeply_nested_json_is_bad_json(client, article):
    nested = "[" * 100_000 + "]" * 100_000
    status, data = raw_post(client, thread_url(article), nested)
    assert (status, data["error"]["code"]) == (400, "bad_json")
    nested_object = '{"a":' * 100_000 + "1" + "}" * 100_000
    status, data = raw_post(client, thread_url(article), nested_object)
    assert (status, data["error"]["code"]) == (400, "bad_json")


@pytest.mark.parametrize(
    "body", [b"\xff\xfe\x00", b"[]", b'"text"', b"1e999999", b"\x00"]
)
def test_bodies_that_are_not_a_json_object_are_bad_json(client, article, body):
    status, data = raw_post(client, thread_url(article), body)
    assert (status, data["error"]["code"]) == (400, "bad_json")


def test_a_body_that_is_not_json_is_unsupported(client, article):
    status, data = raw_post(
        client, thread_url(article), "body=x", "application/x-www-form-urlencoded"
    )
    assert (status, data["error"]["code"]) == (415, "unsupported_media_type")


def test_a_body_over_the_upload_limit_is_too_large(client, article, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    status, data = raw_post(client, thread_url(article), json.dumps({"b": "x" * 2000}))
    assert (status, data["error"]["code"]) == (413, "too_large")


@pytest.mark.parametrize("parent", [HUGE, 2**63, 0, -5])
def test_a_parent_id_no_comment_can_have_is_an_invalid_reply(client, article, parent):
    status, data = call(client, "post", thread_url(article), new_comment(parent=parent))
    assert (status, data["error"]["code"]) == (400, "invalid_parent")
    assert not Comment.objects.exists()


def test_counts_with_an_unparseable_url_names_it(client, article):
    response = client.get("/api/counts", {"url": "http://[::1"})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "bad_url",
        "message": "http://[::1 is not a URL.",
        "field": "url",
    }


def test_counts_with_a_nul_in_a_url_is_a_bad_url_not_a_server_error(client, article):
    # PostgreSQL refuses a NUL in any text (found by schemathesis there).
    response = client.get("/api/counts", {"url": ["/a\x00b/", article.url]})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_url"


@pytest.mark.parametrize(
    ("fields", "policy"),
    [
        ({}, ModerationPolicy.PUBLISH),
        (
            {"website": "example.org/?a=1&b=2", "name": "<b>O'Hara</b>"},
            ModerationPolicy.PUBLISH,
        ),
        ({"body": "Held *first* & <script>x</script>"}, ModerationPolicy.HOLD_ALL),
        ({"reply": True}, ModerationPolicy.PUBLISH),
    ],
)
def test_the_posted_answers_html_equals_the_rows_template(article, fields, policy):
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from tribune.discussion import identity, tree

    factories.rules(moderation=policy)
    client = Client()
    if fields.pop("reply", False):
        fields["parent"] = factories.comment(in_thread=factories.thread(article)).pk
    status, data = call(client, "post", thread_url(article), new_comment(**fields))
    assert status == 201, data
    comment = Comment.objects.get(pk=data["comment"]["id"])
    viewer = identity.Viewer(guest_token=comment.guest_token)
    node = comment_views.present_posted(comment, viewer, "open")
    box = {"node": node, "c": comment, "view": node.item, "csrf_token": "T"}
    html = render_to_string("discussion/comment_box.html", box)
    node.item.box_html = mark_safe(html)  # noqa: S308  # the template escaped it
    rows = tree.flatten([node], fold_after=0)
    full = render_to_string("discussion/rows.html", {"rows": rows, "focus": node.id})
    assert data["html"] + "\n" == full
