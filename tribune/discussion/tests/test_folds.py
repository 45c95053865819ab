"""Folded conversations come without their replies: the first page stays the same
size however many replies its conversations draw, and "View N replies" loads them
(the script) or opens the conversation's permalink (no script)."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from tribune.discussion import selectors, services, thread_pages, tree
from tribune.discussion.models import Action, ModerationPolicy
from tribune.discussion.ranking import Order
from tribune.discussion.tests import factories
from tribune.discussion.tests.test_visibility import guest_client
from tribune.newsroom.models import CommentsMode
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db

COMMENT_ITEM = re.compile(r'<li class="comment[^"]*" id="comment-(\d+)"')


@pytest.fixture
def article(settings):
    settings.DISCUSSION_COLLAPSE_AFTER = 2
    factories.rules()
    return newsroom.article()


def conversation(thread, replies, **kwargs):
    """A top-level comment with `replies` replies (every other one nested)."""
    root = factories.comment(in_thread=thread, **kwargs)
    made, parent = [], root
    for i in range(replies):
        reply = factories.comment(parent=parent if i % 2 else root)
        made.append(reply)
        parent = reply
    return root, made


def shown_ids(response):
    return [int(pk) for pk in COMMENT_ITEM.findall(response.content.decode())]


def replies_url(article, comment_id):
    return reverse("discussion:replies", args=[article.pk, comment_id])


def test_an_unloaded_conversation_keeps_its_hidden_root_and_counts_its_replies():
    root = tree.Node(1, None, "gone", False, None, unloaded=3)
    plain = tree.Node(2, None, "gone too", False, None)
    kept = tree.build([root, plain])
    assert kept == [root]
    assert root.reply_count == 3 and root.children == []


def test_a_folded_conversation_comes_without_its_replies(client, article):
    thread = factories.thread(article)
    big, _ = conversation(thread, 5)
    small, small_replies = conversation(thread, 2)
    page = client.get(article.url)
    ids = shown_ids(page)
    assert ids == [big.pk, small.pk, *[r.pk for r in small_replies]]
    text = page.content.decode()
    assert "View 5 replies" in text
    link = f'href="?comment={big.pk}#comment-{big.pk}" data-more-replies="{big.pk}"'
    assert link in text
    assert "data-more-replies" not in text.split(f'id="comment-{small.pk}"')[1]


def test_the_page_holds_a_bounded_number_of_comments_whatever_the_replies(
    client, article, settings
):
    settings.DISCUSSION_PAGE_SIZE = 3
    thread = factories.thread(article)
    for replies in (12, 1, 30, 2, 0):
        conversation(thread, replies)
    ids = shown_ids(client.get(article.url))
    # Three conversations: 12 and 30 replies folded (their roots only), 1 reply shown.
    assert len(ids) == 4


def test_the_count_of_unloaded_replies_leaves_out_others_held_ones(client, article):
    thread = factories.thread(article)
    root, _ = conversation(thread, 3)
    author = factories.guest_viewer()
    factories.comment(
        parent=root,
        viewer=author,
        body="HELD-REPLY",
        settings=factories.rules(moderation=ModerationPolicy.HOLD_ALL),
    )
    factories.rules()
    assert "View 3 replies" in client.get(article.url).content.decode()
    own = guest_client(author.guest_token).get(article.url).content.decode()
    assert "View 4 replies" in own
    loaded = client.get(replies_url(article, root.pk)).content.decode()
    assert "HELD-REPLY" not in loaded
    mine = guest_client(author.guest_token).get(replies_url(article, root.pk))
    assert "HELD-REPLY" in mine.content.decode()


def test_a_permalink_opens_the_conversation_that_holds_it(client, article):
    thread = factories.thread(article)
    root, replies = conversation(thread, 4)
    page = client.get(article.url, {"comment": replies[-1].pk})
    assert shown_ids(page) == [root.pk, *[r.pk for r in replies]]
    assert "data-more-replies" not in page.content.decode()


def test_view_all_comments_shows_every_reply(client, article):
    thread = factories.thread(article)
    root, replies = conversation(thread, 4)
    page = client.get(article.url, {"call": "1"})
    assert shown_ids(page) == [root.pk, *[r.pk for r in replies]]


def test_the_replies_fragment_holds_the_conversation_below_its_root(client, article):
    thread = factories.thread(article)
    root, replies = conversation(thread, 4)
    conversation(thread, 3)
    response = client.get(replies_url(article, root.pk))
    assert response.status_code == 200
    assert shown_ids(response) == [r.pk for r in replies]
    text = response.content.decode()
    assert text.startswith(f'<ol class="comment__replies" data-replies-of="{root.pk}">')
    assert text.count("<li") == text.count("</li>")
    assert text.count("<ol") == text.count("</ol>")


def test_the_replies_fragment_shows_the_readers_votes(article):
    thread = factories.thread(article)
    root, replies = conversation(thread, 3)
    voter = factories.guest_viewer()
    services.vote(comment=replies[0], viewer=voter, value=1, state="open")
    text = (
        guest_client(voter.guest_token)
        .get(replies_url(article, root.pk))
        .content.decode()
    )
    voted = text.split(f'id="comment-{replies[0].pk}"')[1].split("</form>")[0]
    assert 'aria-pressed="true"' in voted


def test_a_deleted_root_with_replies_opens_too(client, article):
    thread = factories.thread(article)
    root, replies = conversation(thread, 3, body="GONE-ROOT")
    staff = factories.user(is_staff=True, is_superuser=True)
    services.moderate_comments(
        comment_ids=[root.pk], action=Action.DELETE, moderator=staff
    )
    page = client.get(article.url).content.decode()
    assert "GONE-ROOT" not in page and "View 3 replies" in page
    response = client.get(replies_url(article, root.pk))
    assert shown_ids(response) == [r.pk for r in replies]


def test_the_replies_fragment_answers_404_for_what_the_page_would_not_show(
    client, article
):
    thread = factories.thread(article)
    root, replies = conversation(thread, 3)
    held_root = factories.comment(
        in_thread=thread,
        body="HELD-ROOT",
        settings=factories.rules(moderation=ModerationPolicy.HOLD_ALL),
    )
    factories.rules()
    other = newsroom.article(title="Another report")
    for page, comment_id in (
        (article, held_root.pk),  # someone else's held comment
        (article, replies[0].pk),  # not a top-level comment
        (other, root.pk),  # another report's conversation
        (article, 2_000_000_000),
    ):
        response = client.get(replies_url(page, comment_id))
        assert response.status_code == 404, (page, comment_id)
        assert "HELD-ROOT" not in response.content.decode()
    hidden = newsroom.article(comments=CommentsMode.HIDDEN)
    hidden_root, _ = conversation(factories.thread(hidden), 3)
    assert client.get(replies_url(hidden, hidden_root.pk)).status_code == 404


def test_a_page_costs_the_same_queries_with_folded_conversations(
    client, article, django_assert_max_num_queries
):
    thread = factories.thread(article)
    for replies in (0, 1, 6, 9):
        conversation(thread, replies)
    viewer = factories.guest_viewer()
    rules = selectors.get_settings(None)
    with django_assert_max_num_queries(5):
        page = thread_pages.get_thread_page(
            article=article,
            viewer=viewer,
            rules=rules,
            order=Order.OLDEST,
            fold_after=2,
        )
    assert [n.unloaded for n in page.roots] == [0, 0, 6, 9]
    assert [len(list(tree.walk([n]))) for n in page.roots] == [1, 2, 1, 1]


@pytest.mark.parametrize("order", [Order.OLDEST, Order.NEWEST, Order.VOTED])
def test_the_top_level_is_read_from_its_threads_index(article, order):
    # Without discussion_comment_top SQLite walked the top level of every
    # thread of the site, in time order, to find this thread's first 30.
    thread = factories.thread(article)
    roots = thread_pages._top_level_query(thread.pk, factories.guest_viewer(), order)
    sql, params = roots.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(row[3] for row in cursor.fetchall())
        else:
            # A test's tables are too small for PostgreSQL to use any index.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
    if order == Order.VOTED:
        # No index gives the score order, so either index of the thread may
        # serve it (PostgreSQL's costs tie on a test's tiny tables): what
        # matters is that only this thread's comments are read.
        reads_by_thread = r"(USING INDEX \w+ |Index Cond: )\(+thread_id ?="
        assert re.search(reads_by_thread, plan), plan
    else:
        assert "discussion_comment_top" in plan, plan
