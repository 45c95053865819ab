"""The polling endpoint: public events after an id, JSON errors for bad input."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tribune.discussion.models import ModerationPolicy
from tribune.discussion.tests import factories
from tribune.live.models import LiveEvent
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def thread():
    factories.rules()
    return factories.thread(newsroom.article(title="Bridge works resume"))


def test_without_after_only_the_newest_id_comes_back(client, thread):
    factories.comment(in_thread=thread)
    newest = LiveEvent.objects.get().pk
    response = client.get(f"/live/events/{thread.page_id}/")
    assert response.status_code == 200
    assert response.json() == {"events": [], "last": newest}
    assert response["Cache-Control"] == "no-store"


def test_events_after_an_id_with_their_boxes_then_in_one_query_no_cookie_no_held(
    client, thread
):
    first = factories.comment(in_thread=thread)
    factories.comment(
        in_thread=thread, settings=factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    )
    second = factories.comment(in_thread=thread, settings=factories.rules())
    after = LiveEvent.objects.get(payload__id=first.pk).pk
    # The events, then the comments whose box this process has not rendered
    # (and, the first time this process needs them, the supporters' list and
    # the article's thread: the posts above came through the service, not the
    # API that keeps it).
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/live/events/{thread.page_id}/?after={after}")
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in queries.captured_queries]
    assert tables[:2] == ['"live_liveevent"', '"discussion_comment"']
    rest = [t for t in tables[2:] if t != '"discussion_thread"']
    assert all(t.startswith('"funding_') for t in rest), tables
    assert tables.count('"discussion_thread"') <= 1
    body = response.json()
    assert [e["payload"]["id"] for e in body["events"]] == [second.pk]
    assert f'id="comment-{second.pk}"' in body["events"][0]["payload"]["html"]
    assert body["last"] == body["events"][0]["id"]
    assert "Set-Cookie" not in response.headers
    with CaptureQueriesContext(connection) as queries:
        again = client.get(f"/live/events/{thread.page_id}/?after={after}")
    assert len(queries) == 1
    assert again.json() == body


@pytest.mark.parametrize(
    "after", ["x", "-1", "1e9", "9" * 40, "\u202e1", "\ue000", "1 OR 1=1"]
)
def test_a_bad_after_is_a_json_error(client, thread, after):
    response = client.get(f"/live/events/{thread.page_id}/", {"after": after})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_after"


def test_writes_are_refused(client, thread):
    assert client.post(f"/live/events/{thread.page_id}/").status_code == 405


def test_the_article_page_shows_the_stream_for_one_query_and_the_same_to_everyone(
    client, thread, django_assert_num_queries
):
    from django.template import Context, Template

    factories.comment(in_thread=thread)
    newest = LiveEvent.objects.get().pk
    tag = Template("{% load live_tags %}{% live_updates page %}")
    with django_assert_num_queries(1):
        html = tag.render(Context({"page": thread.page}))
    assert f'data-live-after="{newest}"' in html
    assert f'data-live-stream="/live/stream/{thread.page_id}/"' in html
    assert "<script>" not in html  # external module only (strict CSP)
    page = client.get(thread.page.url).content.decode()
    assert f'data-live-poll="/live/events/{thread.page_id}/"' in page


def test_the_web_server_asked_for_the_stream_tells_the_browser_to_poll(client, thread):
    # Without nginx's location the stream's address reaches Django: a 204 stops
    # EventSource without an error in the console, and live.js polls instead.
    response = client.get(f"/live/stream/{thread.page_id}/?last=0")
    assert response.status_code == 204
    assert response["Cache-Control"] == "no-store"
    assert client.post(f"/live/stream/{thread.page_id}/").status_code == 405


def test_the_kept_stream_tag_follows_the_newest_event(client, thread):
    factories.comment(in_thread=thread)
    first = LiveEvent.objects.latest("pk").pk
    assert f'data-live-after="{first}"' in client.get(thread.page.url).content.decode()
    assert f'data-live-after="{first}"' in client.get(thread.page.url).content.decode()
    factories.comment(in_thread=thread)
    newest = LiveEvent.objects.latest("pk").pk
    assert newest != first
    page = client.get(thread.page.url).content.decode()
    assert f'data-live-after="{newest}"' in page
