"""A thread page's reads through core.prepared: the kept SQL gives what the ORM
gives for every reader and page, and a query it cannot keep is built each time."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Count

from tribune.core import prepared
from tribune.discussion import thread_pages
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, ModerationPolicy, Vote
from tribune.discussion.ranking import Order
from tribune.discussion.selectors import visible_to
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """Two threads with top-level comments, replies, and held replies by a
    guest and by a user (each sees their own, nobody else's)."""
    factories.rules()
    guest = factories.guest_viewer()
    user = factories.user()
    member = Viewer(user_id=user.pk)
    held = factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    threads = [factories.thread(), factories.thread()]
    roots = []
    for thread in threads:
        for i in range(4):
            root = factories.comment(in_thread=thread)
            roots.append(root)
            for _ in range(i):
                factories.comment(parent=root)
            factories.comment(parent=root, viewer=guest, settings=held)
            factories.comment(parent=root, viewer=member, settings=held)
    return threads, roots, [Viewer(), guest, member, factories.guest_viewer()]


def orm_counts(root_ids: list[int], viewer: Viewer) -> dict[int, int]:
    return dict(
        Comment.objects.filter(root_id__in=root_ids)
        .values_list("root_id")
        .annotate(n=Count("id", filter=visible_to(viewer)))
        .values_list("root_id", "n")
    )


def test_reply_counts_are_the_orms_for_every_reader(site):
    _threads, roots, viewers = site
    ids = [r.pk for r in roots]
    for viewer in viewers:
        for some in (ids, ids[:3], ids[5:], [ids[0]]):
            assert thread_pages._count_shown_replies(some, viewer) == orm_counts(
                some, viewer
            )
    # Each reader sees their own held reply: one more under every conversation.
    anonymous, guest = viewers[0], viewers[1]
    mine, public = (
        thread_pages._count_shown_replies(ids, v) for v in (guest, anonymous)
    )
    assert all(mine[pk] == public.get(pk, 0) + 1 for pk in ids)


def test_one_plan_is_kept_per_shape_and_run_with_other_values(site):
    _threads, roots, viewers = site
    ids = [r.pk for r in roots]
    read = prepared.Prepared(Comment, thread_pages._shown_replies)
    guest, other = viewers[1], viewers[3]
    for some, viewer in ((ids[:4], guest), (ids[4:8], other), (ids[2:6], guest)):
        found = dict(read.rows(some, viewer.user_id, viewer.guest_token))
        assert found == orm_counts(some, viewer)
    # Four ids and a guest's token: one shape, its SQL compiled once and kept.
    (plan,) = read._plans.values()
    assert plan is not None and "%s" in plan.sql
    assert guest.guest_token not in plan.sql


@pytest.mark.parametrize("order", [Order.OLDEST, Order.NEWEST, Order.VOTED, Order.BEST])
def test_the_top_level_windows_are_the_orms(site, order):
    threads, _roots, viewers = site
    for thread in threads:
        for viewer in viewers:
            for window in ((0, 3), (2, 5), (3, 40), None):
                kept = thread_pages._TOP_LEVEL.rows(
                    thread.pk, viewer.user_id, viewer.guest_token, fixed=(order, window)
                )
                query = thread_pages._top_level_query(thread.pk, viewer, order)
                if window is not None:
                    query = query[window[0] : window[1]]
                assert kept == list(query.values_list(*thread_pages._SHOWN))
                versions = thread_pages._TOP_LEVEL_VERSIONS.rows(
                    thread.pk, viewer.user_id, viewer.guest_token, fixed=(order, window)
                )
                assert [pk for pk, _ in versions] == [row[0] for row in kept]


def test_replies_come_converted_as_the_orm_converts_them(site):
    _threads, roots, _viewers = site
    ids = [r.pk for r in roots[:5]]
    kept = thread_pages._REPLIES.rows(ids)
    orm = list(
        Comment.objects.filter(root_id__in=ids)
        .order_by("created_at", "id")
        .values_list(*thread_pages._SHOWN)
    )
    assert kept == orm and kept
    created = thread_pages._SHOWN.index("created_at")
    assert all(row[created].tzinfo is not None for row in kept)


def _names_containing(text: str) -> Any:
    return Comment.objects.filter(author_name__contains=text).values_list("pk")


def _first(n: int) -> Any:
    return Comment.objects.order_by("pk").values_list("pk")[:n]


@pytest.mark.parametrize(
    ("build", "values"),
    [
        # Django wraps the value in % signs: the stand-in never comes back.
        (_names_containing, ("Guest 1",)),
        # A slice's bound is written into the SQL, not passed.
        (_first, (3,)),
    ],
)
def test_a_query_whose_values_django_changes_is_built_each_time(site, build, values):
    read = prepared.Prepared(Comment, build)
    assert read.rows(*values) == list(build(*values))
    assert list(read._plans.values()) == [None]
    assert read.rows(*values) == list(build(*values))


def test_a_value_that_cannot_stand_in_is_built_each_time(site):
    def created_since(moments: list) -> Any:
        return Comment.objects.filter(created_at__in=moments).values_list("pk")

    read = prepared.Prepared(Comment, created_since)
    moments = [roots.created_at for roots in site[1][:2]]
    assert read.rows(moments) == list(created_since(moments))
    assert list(read._plans.values()) == [None]


def test_the_thread_and_the_readers_votes_are_the_orms(site):
    threads, roots, viewers = site
    guest = viewers[1]
    ids = [r.pk for r in roots]
    for pk in ids[::3]:
        Vote.objects.create(voter=guest.key, comment_id=pk, value=1)
    Vote.objects.create(voter=viewers[3].key, comment_id=ids[1], value=-1)
    for some in (ids, ids[:2], ids[5:9]):
        kept = dict(thread_pages._VOTES.rows(guest.key, some))
        orm = dict(
            Vote.objects.filter(voter=guest.key, comment_id__in=some).values_list(
                "comment_id", "value"
            )
        )
        assert kept == orm
    assert dict(thread_pages._VOTES.rows(viewers[3].key, ids)) == {ids[1]: -1}
    for thread in threads:
        page = thread.page
        opened = thread_pages.open_thread(page, factories.rules(), Order.OLDEST)
        assert opened.thread == thread and opened.count == thread.comment_count
        assert opened.thread.page_id == page.pk
    no_thread = newsroom.article()
    assert (
        thread_pages.open_thread(no_thread, factories.rules(), Order.OLDEST).thread
        is None
    )


def _names_like(text: str) -> Any:
    return Comment.objects.filter(author_name__iexact=text).values_list("pk")


def _in_roots(root_ids: list[int]) -> Any:
    return Comment.objects.filter(root_id__in=root_ids).values_list("pk")


def test_a_value_django_escapes_or_an_empty_list_is_built_each_time(site):
    # iexact escapes LIKE's characters on SQLite (the stand-in never comes back
    # as it was: not kept); PostgreSQL compares UPPER() of the value in SQL (kept,
    # and right). Either way every answer is the ORM's, special characters too.
    thread = site[0][0]
    factories.comment(in_thread=thread, name="50%_Off\\ Deals")
    factories.comment(in_thread=thread, name="5000 Of Deals")
    read = prepared.Prepared(Comment, _names_like)
    for name in ("50%_off\\ deals", "5000 OF DEALS", "50__off\\ deals", "%"):
        assert read.rows(name) == list(_names_like(name))
    assert read.rows("50%_OFF\\ DEALS") != []
    if connection.vendor == "sqlite":
        assert list(read._plans.values()) == [None]
    # An empty IN list cannot be compiled (Django answers it without a query).
    empty = prepared.Prepared(Comment, _in_roots)
    assert empty.rows([]) == []


def test_plans_are_bounded_whatever_readers_ask_for(site, monkeypatch):
    _threads, roots, _viewers = site
    monkeypatch.setattr(prepared, "MAX_PLANS", 3)
    monkeypatch.setattr(prepared, "MAX_LIST_ITEMS", 4)
    read = prepared.Prepared(Comment, _in_roots)
    ids = [r.pk for r in roots]
    for n in range(1, 8):
        assert sorted(read.rows(ids[:n])) == sorted(_in_roots(ids[:n]))
    # Lengths over the list bound are built each time, and of the rest only
    # the newest three shapes are kept.
    assert [key[1] for key in read._plans] == [(("list", n),) for n in (2, 3, 4)]
    assert sorted(read.rows(ids[:2], keep=False)) == sorted(_in_roots(ids[:2]))


def test_only_the_first_comment_pages_are_kept(site, settings):
    threads, _roots, _viewers = site
    settings.DISCUSSION_PAGE_SIZE = 1
    article = threads[0].page
    rules = factories.rules()
    before = len(thread_pages._TOP_LEVEL._plans)
    seen = []
    for number in range(1, 9):
        page = thread_pages.get_thread_page(
            article=article, viewer=Viewer(), rules=rules, page_number=number
        )
        seen += [node.id for node in page.roots]
    assert len(thread_pages._TOP_LEVEL._plans) - before <= thread_pages._KEPT_PAGES
    expected = thread_pages._top_level_query(threads[0].pk, Viewer(), Order.OLDEST)
    assert seen == list(expected.values_list("pk", flat=True))
