"""`tribune live` over real HTTP: events reach open streams, reconnects replay, limits hold."""

from __future__ import annotations

import http.client
import shutil

import pytest

from tribune.discussion.models import ModerationPolicy
from tribune.discussion.tests import factories
from tribune.live.models import LiveEvent
from tribune.live.tests.conftest import open_stream
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def thread():
    factories.rules()
    return factories.thread(newsroom.article(title="Bridge works resume"))


def test_a_new_comment_reaches_an_open_stream_and_a_held_one_never(start_live, thread):
    live = start_live()
    stream = open_stream(live.url, thread.page_id)
    held = factories.comment(
        in_thread=thread,
        body="Held words",
        settings=factories.rules(moderation=ModerationPolicy.HOLD_ALL),
    )
    shown = factories.comment(
        in_thread=thread, settings=factories.rules(), body="Shown words"
    )
    event = stream.next_event()
    assert event["kind"] == "comment"
    assert event["payload"]["id"] == shown.pk
    assert "Shown words" in event["payload"]["html"]
    assert held.status == "pending"
    assert "Held words" not in str(event)


def test_the_stream_runs_beside_web_workers_set_in_the_environment(start_live, thread):
    """deploy/tribune.env.example sets WEB_CONCURRENCY for the web server; uvicorn
    reads the same variable and exited rather than run one process."""
    live = start_live(WEB_CONCURRENCY="4")
    stream = open_stream(live.url, thread.page_id)
    shown = factories.comment(in_thread=thread, settings=factories.rules())
    assert stream.next_event()["payload"]["id"] == shown.pk


def test_a_reconnect_with_last_event_id_replays_only_what_it_missed(start_live, thread):
    live = start_live()
    first, second, third = (factories.comment(in_thread=thread) for _ in range(3))
    seen = LiveEvent.objects.get(payload__id=first.pk).pk
    stream = open_stream(live.url, thread.page_id, **{"Last-Event-ID": str(seen)})
    assert [stream.next_event()["payload"]["id"] for _ in range(2)] == [
        second.pk,
        third.pk,
    ]
    fourth = factories.comment(in_thread=thread)
    assert stream.next_event()["payload"]["id"] == fourth.pk


def test_other_articles_events_stay_out_of_a_stream(start_live, thread):
    live = start_live()
    stream = open_stream(live.url, thread.page_id)
    other = factories.thread(newsroom.article(title="Another story"))
    factories.comment(in_thread=other)
    mine = factories.comment(in_thread=thread)
    assert stream.next_event()["payload"]["id"] == mine.pk


def test_streams_per_address_are_limited_and_bad_requests_refused(start_live, thread):
    live = start_live(LIVE_CONNECTIONS_PER_IP="2")
    kept = [open_stream(live.url, thread.page_id) for _ in range(2)]
    conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=5)
    conn.request("GET", f"/live/stream/{thread.page_id}/")
    assert conn.getresponse().status == 429
    for path, method in [
        ("/live/stream/abc/", "GET"),
        ("/live/stream/1/../../etc/passwd", "GET"),
        ("/live/stream/" + "9" * 40 + "/", "GET"),
        (f"/live/stream/{thread.page_id}/", "POST"),
    ]:
        conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=5)
        conn.request(method, path)
        assert conn.getresponse().status == 404, path
    # A garbage Last-Event-ID is ignored, not a crash.
    kept[0].response.close()
    stream = open_stream(live.url, thread.page_id, **{"Last-Event-ID": "-1; DROP"})
    comment = factories.comment(in_thread=thread)
    assert stream.next_event()["payload"]["id"] == comment.pk


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")
def test_two_nodes_sharing_redis_deliver_to_readers_on_either(
    start_live, thread, tmp_path, settings
):
    from tribune.core.testing import RedisServer

    redis = RedisServer(tmp_path)
    redis.start()
    try:
        settings.REDIS_URL = redis.url
        # The polling safety net is 5 s with Redis: an event within 3 s was woken.
        nodes = [start_live(redis_url=redis.url) for _ in range(2)]
        streams = [open_stream(node.url, thread.page_id) for node in nodes]
        comment = factories.comment(in_thread=thread)
        for stream in streams:
            assert stream.next_event(timeout=3)["payload"]["id"] == comment.pk
    finally:
        redis.stop()
