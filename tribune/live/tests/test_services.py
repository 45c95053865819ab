"""Live events are written for public changes only, and replay after an id."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.utils.translation import get_language
from wagtail.models import TranslatableMixin
from wagtail.models.i18n import set_locale_on_new_instance

from tribune.core import clock
from tribune.discussion import policies, signals
from tribune.discussion import selectors as discussion_selectors
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Action, Comment, ModerationPolicy, Status
from tribune.discussion.services import moderation, voting
from tribune.discussion.tests import factories
from tribune.funding import services as funding
from tribune.live import boxes, hub, selectors, services
from tribune.live.models import LiveEvent
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def thread():
    factories.rules()
    return factories.thread(newsroom.article(title="Bridge works resume"))


def test_an_approved_comment_sends_its_public_box_and_the_count(thread):
    comment = factories.comment(
        in_thread=thread, body="Trains <script>alert(1)</script> *again*"
    )
    [event] = LiveEvent.objects.all()
    assert event.channel == f"article:{thread.page_id}"
    assert event.kind == "comment"
    assert event.payload["id"] == comment.pk
    assert event.payload["parent"] is None
    assert event.payload["count"] == 1
    assert event.payload["count_label"] == "1 Comment"
    # The row names the comment; the box is rendered where the event is read.
    assert "html" not in event.payload
    [ready] = boxes.complete([event])
    html = ready.payload["html"]
    assert f'id="comment-{comment.pk}"' in html
    assert "<em>again</em>" in html
    assert "<script>" not in html
    # Public: no address, no token, no reader's edit links.
    assert "@example.org" not in html
    assert "csrfmiddlewaretoken" not in html
    assert "/edit/" not in html


def test_a_comment_held_after_its_event_is_left_out_where_the_event_is_read(thread):
    comment = factories.comment(in_thread=thread, body="Soon held")
    shown = factories.comment(in_thread=thread, body="Still shown")
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        moderation.change_status(
            locked, Status.PENDING, action=Action.HOLD, moderator=None
        )
    events = list(LiveEvent.objects.filter(kind="comment").order_by("id"))
    ready = boxes.complete(events)
    assert [e.payload["id"] for e in ready] == [shown.pk]
    assert "Still shown" in ready[0].payload["html"]


def test_an_event_whose_box_fails_is_left_out_and_the_rest_still_go(thread):
    comment = factories.comment(in_thread=thread)
    [event] = LiveEvent.objects.all()
    missing = LiveEvent(
        pk=event.pk + 1000,
        channel=event.channel,
        kind="comment",
        payload={"id": comment.pk + 1000, "parent": None},
    )
    goal = LiveEvent(pk=event.pk + 1001, channel="goal", kind="goal", payload={})
    ready = boxes.complete([missing, event, goal])
    assert [e.pk for e in ready] == [event.pk, goal.pk]


def test_a_reply_names_its_parent_and_its_conversation(thread):
    parent = factories.comment(in_thread=thread)
    reply = factories.comment(parent=parent)
    deeper = factories.comment(parent=reply)
    event = LiveEvent.objects.get(payload__id=reply.pk)
    assert event.payload["parent"] == parent.pk
    assert LiveEvent.objects.get(payload__id=deeper.pk).payload["root"] == parent.pk
    assert event.payload["count_label"] == "2 Comments"


def test_a_held_comment_sends_nothing_until_a_moderator_approves_it(thread):
    held = factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    comment = factories.comment(in_thread=thread, settings=held)
    assert comment.status == "pending"
    assert not LiveEvent.objects.exists()
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        moderation.change_status(
            locked, Status.APPROVED, action=Action.APPROVE, moderator=None
        )
    [event] = LiveEvent.objects.all()
    assert event.payload["id"] == comment.pk


def test_a_comment_on_an_unpublished_article_sends_nothing(thread):
    comment = factories.comment(in_thread=thread)
    LiveEvent.objects.all().delete()
    thread.page.unpublish()
    factories.comment(parent=comment)
    assert not LiveEvent.objects.exists()


def test_a_vote_sends_the_new_score_and_a_repeat_sends_nothing(thread):
    comment = factories.comment(in_thread=thread)
    voter = Viewer(guest_token="b" * 32)
    voting.vote(comment=comment, viewer=voter, value=1, state=policies.OPEN)
    voting.vote(comment=comment, viewer=voter, value=1, state=policies.OPEN)
    scores = LiveEvent.objects.filter(kind="score")
    assert [e.payload for e in scores] == [{"id": comment.pk, "score": 1}]


def test_a_donation_tells_the_goal_bar():
    funding.refresh_bar()
    assert list(LiveEvent.objects.values_list("channel", "kind")) == [("goal", "goal")]


def test_replay_after_an_id_lists_only_the_articles_later_events(thread):
    first = factories.comment(in_thread=thread)
    other = factories.thread(newsroom.article(title="Another story"))
    factories.comment(in_thread=other)
    second = factories.comment(in_thread=thread)
    services.publish_event(channel="goal", kind="goal", payload={})
    after = LiveEvent.objects.get(payload__id=first.pk).pk
    found = selectors.list_events_after(
        after=after, channels=selectors.channels_for_article(thread.page_id)
    )
    assert [(e.kind, e.payload.get("id")) for e in found] == [
        ("comment", second.pk),
        ("goal", None),
    ]


def test_pruning_drops_old_events_but_keeps_the_newest():
    old = clock.now() - dt.timedelta(hours=2)
    for _ in range(3):
        event = services.publish_event(channel="goal", kind="goal", payload={})
        LiveEvent.objects.filter(pk=event.pk).update(created_at=old)
    assert services.prune_events(before=clock.now() - dt.timedelta(hours=1)) == 2
    assert list(LiveEvent.objects.values_list("id", flat=True)) == [event.pk]


def test_an_event_reads_back_as_it_was_written():
    begun = clock.now()
    payload = {"id": 7, "html": '<p>\u00e9t\u00e9 \u2028 "quoted"</p>', "n": [1, None]}
    event = services.publish_event(channel="article:1", kind="comment", payload=payload)
    stored = LiveEvent.objects.get()
    assert (stored.pk, stored.channel, stored.kind) == (
        event.pk,
        "article:1",
        "comment",
    )
    assert stored.payload == payload
    assert begun <= stored.created_at <= clock.now()
    assert stored.created_at.tzinfo is not None


def test_no_save_receiver_would_be_skipped_by_the_events_insert():
    # Wagtail's locale receiver listens to every model and changes only
    # translatable ones.
    [sync, asynchronous] = pre_save._live_receivers(LiveEvent)
    assert set(sync) <= {set_locale_on_new_instance}
    assert not asynchronous
    assert not issubclass(LiveEvent, TranslatableMixin)
    assert not post_save.has_listeners(LiveEvent)


def test_the_event_is_written_in_the_comments_transaction_and_undone_with_it(thread):
    class UndoneError(Exception):
        pass

    with pytest.raises(UndoneError), transaction.atomic():
        comment = factories.comment(in_thread=thread, body="Never stored")
        # Before the commit: the event row is the comment's outbox.
        [event] = LiveEvent.objects.filter(kind="comment")
        assert event.payload["id"] == comment.pk
        raise UndoneError
    assert not Comment.objects.exists()
    assert not LiveEvent.objects.exists()


def test_the_event_is_checked_before_the_comments_transaction_and_written_in_it(
    thread,
):
    # The checks (is the article public, the thread shown) read; only the
    # INSERT runs while SQLite's write lock is held (decision 0040).
    seen = []

    def probe(sender, prepare=False, **kwargs):
        seen.append(("prepare" if prepare else "send", connection.in_atomic_block))
        if not prepare:
            return None
        return lambda **values: seen.append(("write", connection.in_atomic_block))

    signals.comment_shown.connect(probe, dispatch_uid="test-probe")
    try:
        comment = factories.comment(in_thread=thread, body="Checked first")
    finally:
        signals.comment_shown.disconnect(dispatch_uid="test-probe")
    assert seen == [("prepare", False), ("write", True)]
    [event] = LiveEvent.objects.all()
    assert event.payload["id"] == comment.pk
    assert event.payload["count"] == 1


def test_the_live_process_renders_boxes_only_for_channels_someone_listens_to(thread):
    other = factories.thread(newsroom.article(title="Harbour dues rise"))
    watched = factories.comment(in_thread=thread, body="Watched words")
    unwatched = factories.comment(in_thread=other, body="Unwatched words")
    center = hub.Hub()
    caches["local"].clear()  # boxes of an earlier test's events with these ids

    async def scenario():
        listener = center.listen([f"article:{thread.page_id}"])
        await center.deliver_new()
        return [listener.queue.get_nowait() for _ in range(listener.queue.qsize())]

    frames = asyncio.run(scenario())
    assert [b"Watched words" in frame for _, frame in frames] == [True]
    assert center.last_id == LiveEvent.objects.latest("id").pk  # past both
    language = get_language()
    rendered = {
        e.payload["id"]
        for e in LiveEvent.objects.filter(kind="comment")
        if caches["local"].get(f"live:box:{language}:{e.pk}") is not None
    }
    assert rendered == {watched.pk}
    assert unwatched.pk not in rendered


def test_with_nobody_listening_the_live_process_skips_to_the_newest_event(thread):
    factories.comment(in_thread=thread)
    factories.comment(in_thread=thread)
    center = hub.Hub()
    caches["local"].clear()
    asyncio.run(center.deliver_new())
    assert center.last_id == LiveEvent.objects.latest("id").pk
    assert not any(
        caches["local"].get(f"live:box:{get_language()}:{e.pk}")
        for e in LiveEvent.objects.all()
    )
    # A reader who comes now is told only what happens from now on.
    newer = factories.comment(in_thread=thread, body="After the reader came")

    async def scenario():
        listener = center.listen([f"article:{thread.page_id}"])
        await center.deliver_new()
        return [listener.queue.get_nowait() for _ in range(listener.queue.qsize())]

    [(event_id, frame)] = [
        f for f in asyncio.run(scenario()) if b"event: comment\n" in f[1]
    ]
    assert b"After the reader came" in frame
    assert event_id == LiveEvent.objects.get(kind="comment", payload__id=newer.pk).pk


def test_a_prepared_event_reads_nothing_and_writes_one_row_in_the_transaction(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        prepared = services.prepare_event(channel="article:1", kind="comment")
    made = clock.now()
    with transaction.atomic():
        with django_assert_num_queries(1):
            event = prepared.write({"id": 7, "count": 2})
        # The live processes are woken once it commits, not before.
        assert connection.run_on_commit
    stored = LiveEvent.objects.get()
    assert (stored.pk, stored.payload) == (event.pk, {"id": 7, "count": 2})
    assert stored.created_at <= made  # taken when the row was prepared


def test_the_public_state_is_kept_until_the_articles_generation_advances(thread):
    comment = factories.comment(in_thread=thread)
    assert boxes.public_state(comment) == "open"
    # A change no generation hears of (a bare UPDATE) is not seen ...
    type(thread.page).objects.filter(pk=thread.page_id).update(live=False)
    thread.page.live = False
    assert boxes.public_state(comment) == "open"
    # ... one that advances the articles' generation is.
    discussion_selectors.forget_articles()
    assert boxes.public_state(comment) is None


def test_the_newest_event_id_starts_a_pages_stream(thread):
    LiveEvent.objects.all().delete()
    assert selectors.get_latest_event_id() == 0
    factories.comment(in_thread=thread)
    factories.comment(in_thread=thread)
    newest = LiveEvent.objects.order_by("-id").first()
    assert newest is not None and selectors.get_latest_event_id() == newest.pk
