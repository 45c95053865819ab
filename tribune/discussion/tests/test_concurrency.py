import threading

import pytest
from django.db import connection, connections

from tribune.discussion import services
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, Vote
from tribune.discussion.submission import Guest, Submission
from tribune.discussion.tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL); SQLite serialises all writers",
    ),
]


def run_at_once(jobs):
    """Start every job on its own thread and connection at the same instant."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except Exception as exc:  # reported below, with the test's failure
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_fifty_distinct_voters_at_once_give_exactly_fifty():
    comment = factories.comment()
    voters = [factories.guest_viewer() for _ in range(50)]
    run_at_once(
        [
            lambda v=v: services.vote(comment=comment, viewer=v, value=1, state="open")
            for v in voters
        ]
    )
    comment = Comment.objects.get(pk=comment.pk)
    assert (comment.upvotes, comment.downvotes, comment.score) == (50, 0, 50)
    assert Vote.objects.filter(comment=comment).count() == 50


def test_one_voter_voting_twice_at_once_counts_once():
    comment = factories.comment()
    voter = Viewer(guest_token="d" * 32)
    for _round in range(5):
        run_at_once(
            [
                lambda: services.vote(
                    comment=comment, viewer=voter, value=1, state="open"
                )
            ]
            * 2
        )
    comment = Comment.objects.get(pk=comment.pk)
    assert (comment.upvotes, comment.score) == (1, 1)
    assert Vote.objects.filter(comment=comment).count() == 1


def test_double_submitted_form_at_once_makes_one_comment():
    thread = factories.thread()
    settings = factories.rules()

    def submit():
        services.post_comment(
            Submission(
                thread=thread,
                state="open",
                rules=settings,
                viewer=Viewer(guest_token="e" * 32),
                body="Sent twice by a double click.",
                guest=Guest("Ada", "ada@example.org"),
                idempotency_key="double-click",
                throttle=False,
            )
        )

    run_at_once([submit] * 4)
    assert Comment.objects.filter(thread=thread).count() == 1
    thread.refresh_from_db()
    assert thread.comment_count == 1
