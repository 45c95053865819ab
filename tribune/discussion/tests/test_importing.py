import pytest

from tribune.core import clock
from tribune.discussion.models import Thread, Vote
from tribune.discussion.services import importing
from tribune.discussion.tests import factories

pytestmark = pytest.mark.django_db


def test_import_adds_threads_with_replies_and_consistent_votes(
    django_assert_max_num_queries,
):
    thread = factories.thread()
    now = clock.now()
    items = [
        importing.ImportedComment(
            "a", "Ada", "a@example.org", "Top *one*", now, upvotes=3
        ),
        importing.ImportedComment(
            "b", "Bo", "b@example.org", "Reply", now, "a", downvotes=1
        ),
        importing.ImportedComment("c", "Cy", "c@example.org", "Deeper", now, "b"),
        importing.ImportedComment("d", "Di", "d@example.org", "Top two", now),
    ]
    with django_assert_max_num_queries(8):
        made = importing.import_comments(thread=thread, items=items)
    by_name = {c.author_name: c for c in made}
    assert by_name["Ada"].body_html == "<p>Top <em>one</em></p>"
    assert (by_name["Cy"].parent_id, by_name["Cy"].root_id, by_name["Cy"].depth) == (
        by_name["Bo"].pk,
        by_name["Ada"].pk,
        2,
    )
    assert Vote.objects.filter(comment=by_name["Ada"], value=1).count() == 3
    assert Vote.objects.filter(comment=by_name["Bo"], value=-1).count() == 1
    assert by_name["Ada"].rank > 0
    assert Thread.objects.get(pk=thread.pk).comment_count == 4
