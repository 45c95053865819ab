import json
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tribune.core import generations
from tribune.discussion import services, spam, thread_pages
from tribune.discussion.identity import Viewer
from tribune.discussion.tests import factories
from tribune.newsroom.selectors import REPORT_GENERATION
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


def fill(article, count, settings):
    """`count` comments: a third top-level, the rest replies in chains."""
    thread = factories.thread(article)
    made = []
    for i in range(count):
        parent = made[i - 1] if i % 3 else None
        made.append(
            factories.comment(in_thread=thread, parent=parent, settings=settings)
        )
    for comment in made[:20]:
        services.vote(
            comment=comment, viewer=factories.guest_viewer(), value=1, state="open"
        )
    return made


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_article_page_query_count_does_not_grow_with_the_thread(
    client, django_assert_num_queries, signed_in
):
    settings = factories.rules()
    small, large = newsroom.article(), newsroom.article()
    fill(small, 10, settings)
    made = fill(large, 200, settings)
    if signed_in:
        reader = factories.user()
        client.force_login(reader)
        viewer = Viewer(user_id=reader.pk)
        services.vote(comment=made[0], viewer=viewer, value=1, state="open")
    for article in (small, large):  # warm per-process caches (site, report)
        queries_for(client, article.url)
    expected = queries_for(client, small.url)
    with django_assert_num_queries(expected):
        client.get(large.url)
    with django_assert_num_queries(expected):
        client.get(f"{large.url}?sort=voted")
    # A permalink adds its two lookups, whatever the size; for a reader with
    # no stake it also reads what kept conversations spare (decision 0048):
    # the count of the conversations' replies and the replies.
    with django_assert_num_queries(expected + (2 if signed_in else 4)):
        client.get(f"{large.url}?comment={made[-1].pk}")


def test_the_comment_section_itself_needs_at_most_six_queries(
    rf, django_assert_max_num_queries
):
    from tribune.discussion.identity import Viewer

    settings = factories.rules()
    article = newsroom.article()
    made = fill(article, 60, settings)
    viewer = Viewer(guest_token="t" * 32)
    with django_assert_max_num_queries(4):  # thread, top level, replies, votes
        page = thread_pages.get_thread_page(
            article=article, viewer=viewer, rules=settings
        )
    assert page.count == 60
    with django_assert_max_num_queries(6):  # + the permalink lookups
        thread_pages.get_thread_page(
            article=article, viewer=viewer, rules=settings, focus=made[-1].pk
        )


# A new comment's statements, its after-commit work included (the cache
# invalidation): SAVEPOINT, INSERT, the counter's UPDATE, the live event's
# INSERT (in the comment's transaction), RELEASE; a reply adds its parent's lock
# and, after the commit, the lookup of subscribers to its parent's replies.
POST_QUERIES = 5


@pytest.mark.parametrize("reply", [False, True])
def test_new_comment_costs_the_same_queries_whatever_the_thread_size(
    client, django_capture_on_commit_callbacks, reply
):
    settings = factories.rules()
    threads = {}
    for n in (10, 200):
        article = newsroom.article()
        threads[n] = (article, fill(article, n, settings))
    started = spam.issue_form_token()

    def post(n, i):
        article, made = threads[n]
        body = {
            "body": f"Comment {i} with *some* text and a [link](https://example.org).",
            "name": f"Reader {i}",
            "email": f"reader{i}@example.org",
            "started": started,
            "key": f"key-{i}",
            "parent": made[-1].pk if reply else None,
        }
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks(execute=True) as callbacks,
        ):
            response = client.post(
                reverse("discussion:api_thread", args=[article.pk]),
                json.dumps(body),
                content_type="application/json",
            )
        assert response.status_code == 201, response.content
        assert callbacks  # the after-commit work ran inside the count
        return len(captured.captured_queries)

    # The live app's event (looked up by name: discussion imports no app above it).
    events = apps.get_model("live", "LiveEvent").objects.filter(kind="comment")
    filled = events.count()  # the threads' own comments wrote theirs
    post(10, 0), post(200, 1)  # warm per-process copies (site, settings, threads)
    at_10, at_200 = post(10, 2), post(200, 3)
    assert at_10 == at_200, (at_10, at_200)
    assert at_10 <= POST_QUERIES + 2 * reply, at_10
    assert events.count() == filled + 4


# The article page for a reader without cookies, with the page cache off (test
# settings): the page by id (its address remembered), Wagtail's view
# restrictions, the thread, the ids and versions of its first page of
# conversations (each kept since the first render, decision 0048), the live
# stream's last event. The rest comes from per-process memory, the report's own
# part too (decision 0036); rendering that part again (after an edit) reads its
# byline, topics and series.
ARTICLE_PAGE_QUERIES = 6
REPORT_QUERIES = 3


def test_the_rendered_article_page_costs_the_same_queries_at_10_and_300_comments(
    client, django_assert_num_queries
):
    factories.rules()
    small, large = newsroom.article(), newsroom.article()
    factories.bulk_comments(small, 10)
    factories.bulk_comments(large, 300)
    for article in (small, large):  # warm per-process caches (site, menu, report)
        client.get(article.url)
    for article in (small, large, small):
        client.cookies.clear()
        with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
            response = client.get(article.url)
        assert response.status_code == 200
    generations.advance(REPORT_GENERATION)  # as an edit does
    for article in (large, small):
        client.cookies.clear()
        queries = ARTICLE_PAGE_QUERIES + REPORT_QUERIES
        with django_assert_num_queries(queries):
            assert client.get(article.url).status_code == 200
    client.cookies.clear()
    response = client.get(small.url)
    shown = re.compile(r'<li class="comment[^"]*" id="comment-\d+"')
    assert len(shown.findall(response.content.decode())) == 10
    client.cookies.clear()
    page = client.get(large.url).content.decode()
    assert len(shown.findall(page)) > 30  # 30 top-level and their replies
