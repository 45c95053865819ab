import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tribune.discussion import services
from tribune.discussion.identity import Viewer
from tribune.discussion.tests import factories
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
    queries_for(client, small.url)  # warm per-process caches (site, settings)
    expected = queries_for(client, small.url)
    with django_assert_num_queries(expected):
        client.get(large.url)
    with django_assert_num_queries(expected):
        client.get(f"{large.url}?sort=voted")
    # a permalink adds its two lookups, whatever the size
    with django_assert_num_queries(expected + 2):
        client.get(f"{large.url}?comment={made[-1].pk}")


def test_the_comment_section_itself_needs_at_most_six_queries(
    rf, django_assert_max_num_queries
):
    from tribune.discussion import selectors
    from tribune.discussion.identity import Viewer

    settings = factories.rules()
    article = newsroom.article()
    made = fill(article, 60, settings)
    viewer = Viewer(guest_token="t" * 32)
    with django_assert_max_num_queries(4):  # thread, top level, replies, votes
        page = selectors.get_thread_page(article=article, viewer=viewer, rules=settings)
    assert page.count == 60
    with django_assert_max_num_queries(6):  # + the permalink lookups
        selectors.get_thread_page(
            article=article, viewer=viewer, rules=settings, focus=made[-1].pk
        )
