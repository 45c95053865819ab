"""Conversations kept per version (kept_conversations, migration 0013): the
database changes a conversation's version on every write to it, and a page
built from kept conversations is the page rendered afresh."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tribune.discussion import (
    comment_views,
    conf,
    identity,
    services,
    thread_pages,
    tree,
)
from tribune.discussion.fragments import render_rows
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Action, Comment, ModerationPolicy, Status
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


def version(comment: Comment) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conversation_version FROM discussion_comment WHERE id = %s",
            [comment.pk],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def article():
    factories.rules()
    return newsroom.article()


def test_every_write_to_a_conversation_gives_it_a_new_version(article):
    thread = factories.thread(article)
    root, other = (
        factories.comment(in_thread=thread),
        factories.comment(in_thread=thread),
    )
    reply = factories.comment(parent=root)
    seen = {version(root)}
    untouched = version(other)

    def changed() -> None:
        now = version(root)
        assert now not in seen  # never a version it had before
        seen.add(now)

    factories.comment(parent=reply)  # a reply below a reply
    changed()
    reply.body_html = "<p>Changed by save().</p>"
    reply.save()
    changed()
    Comment.objects.filter(pk=reply.pk).update(score=5, upvotes=5)
    changed()
    services.vote(comment=root, viewer=factories.guest_viewer(), value=1, state="open")
    changed()
    services.moderate_comments(
        comment_ids=[reply.pk], action=Action.DELETE, moderator=factories.user()
    )
    changed()
    Comment.objects.filter(pk=reply.pk).delete()  # the reply and its own reply
    changed()
    assert version(other) == untouched


def test_a_save_of_a_comment_read_before_a_change_never_brings_back_a_version(
    article,
):
    root = factories.comment(in_thread=factories.thread(article))
    stale = Comment.objects.get(pk=root.pk)
    before = version(root)
    factories.comment(parent=root)
    after_reply = version(root)
    stale.author_name = "Renamed"
    stale.save()  # a full save, from values read before the reply
    assert version(root) not in {before, after_reply}


def _conversation_thread(article) -> dict[str, Comment]:
    """Every kind of conversation a page shows."""
    thread = factories.thread(article)
    folded = factories.comment(in_thread=thread)
    Comment.objects.filter(pk=folded.pk).update(author_website="https://example.org/")
    for _ in range(conf.get("COLLAPSE_AFTER") + 1):
        factories.comment(parent=folded)
    chain = factories.comment(in_thread=thread)
    deep = chain
    for _ in range(conf.get("MAX_DEPTH") + 2):
        deep = factories.comment(parent=deep)
    gone = factories.comment(in_thread=thread)
    factories.comment(parent=gone)
    services.moderate_comments(
        comment_ids=[gone.pk], action=Action.DELETE, moderator=factories.user()
    )
    held = factories.comment(
        parent=chain, settings=factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    )
    factories.rules()
    lone = factories.comment(in_thread=thread, body="A *plain* one <b>escaped</b>")
    return {"folded": folded, "chain": chain, "deep": deep, "held": held, "lone": lone}


def _fresh_rows(article, request) -> str:
    """The rows as the page renders them for a reader with a stake (the path
    without kept conversations), for an anonymous reader."""
    viewer = Viewer()
    page = thread_pages.get_thread_page(
        article=article,
        viewer=viewer,
        rules=factories.rules(),
        fold_after=conf.get("COLLAPSE_AFTER"),
    )
    roots = comment_views.present(page.roots, viewer, state=page.state, votes={})
    return render_rows(
        tree.flatten(roots, fold_after=conf.get("COLLAPSE_AFTER")),
        state=page.state,
        request=request,
    )


def _rows(html: str) -> str:
    """The comment list of a page, CSRF tokens masked."""
    start = html.index("data-discussion-comments>")
    listed = html[start : html.index("</ol>\n  ", start)]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", listed)


def test_the_kept_page_is_the_page_rendered_afresh_after_every_change(article, rf):
    made = _conversation_thread(article)
    reader = Client()
    moderator = factories.user()
    changes = [
        lambda: None,
        lambda: factories.comment(parent=made["chain"]),
        lambda: services.vote(
            comment=made["deep"],
            viewer=factories.guest_viewer(),
            value=-1,
            state="open",
        ),
        lambda: services.moderate_edit_comment(
            comment=made["lone"], moderator=moderator, body="Edited by a moderator"
        ),
        lambda: services.moderate_comments(
            comment_ids=[made["held"].pk], action=Action.APPROVE, moderator=moderator
        ),
        lambda: services.moderate_comments(
            comment_ids=[made["folded"].pk], action=Action.SPAM, moderator=moderator
        ),
        lambda: factories.comment(in_thread=made["lone"].thread),
    ]
    for change in changes:
        change()
        kept = _rows(reader.get(article.url).content.decode())
        caches["local"].clear()
        fresh = _rows(reader.get(article.url).content.decode())
        assert kept == fresh
        request = rf.get(article.url)
        other = _fresh_rows(article, request)
        other = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", other)
        assert other.strip() and other.strip() in kept
    assert "Edited by a moderator" in kept
    assert f'data-more-replies="{made["chain"].pk}"' in kept


def test_a_kept_conversation_is_rendered_again_only_when_it_changes(article):
    thread = factories.thread(article)
    first, second = (
        factories.comment(in_thread=thread),
        factories.comment(in_thread=thread),
    )
    reader = Client()
    reader.get(article.url)
    kept = set(_conversation_keys())
    assert len(kept) == 2
    reply = factories.comment(parent=second, body="A reply that arrives later")
    page = reader.get(article.url).content.decode()
    assert "A reply that arrives later" in page
    now = set(_conversation_keys())
    assert len(now - kept) == 1  # only the second conversation was rendered again
    assert any(f":{first.pk}:" in key for key in kept & now)
    Comment.objects.filter(pk=reply.pk).update(status=Status.SPAM)
    assert "A reply that arrives later" not in reader.get(article.url).content.decode()


def _conversation_keys() -> list[str]:
    return [k for k in caches["local"].lru_keys() if ":discussion:conversation:" in k]


def test_a_page_of_kept_conversations_reads_neither_replies_nor_their_counts(
    article,
):
    thread = factories.thread(article)
    for _ in range(3):
        root = factories.comment(in_thread=thread)
        for _ in range(conf.get("COLLAPSE_AFTER") + 2):
            factories.comment(parent=root)
    reader = Client()
    reader.get(article.url)
    with CaptureQueriesContext(connection) as captured:
        assert reader.get(article.url).status_code == 200
    reads = [q["sql"] for q in captured.captured_queries]
    assert not [sql for sql in reads if "COUNT(" in sql and "root_id" in sql]
    assert sum('"discussion_comment"' in sql for sql in reads) == 1  # the versions


def test_readers_with_a_stake_never_get_the_kept_conversations(article):
    thread = factories.thread(article)
    mine = factories.guest_viewer()
    own = factories.comment(
        in_thread=thread,
        viewer=mine,
        settings=factories.rules(moderation=ModerationPolicy.HOLD_ALL),
    )
    factories.rules()
    voted = factories.comment(in_thread=thread)
    Client().get(article.url)  # keeps the shared conversations
    author = Client()
    response = HttpResponse()
    identity.remember_guest(response, mine)
    author.cookies.update(response.cookies)
    page = author.get(article.url).content.decode()
    assert f'id="comment-{own.pk}"' in page and "Awaiting moderation" in page
    voter = Client()
    voter.post(reverse("discussion:vote", args=[voted.pk]), {"value": "up"})
    assert 'aria-pressed="true"' in voter.get(article.url).content.decode()
    anonymous = Client().get(article.url).content.decode()
    assert f'id="comment-{own.pk}"' not in anonymous
    assert 'aria-pressed="true"' not in anonymous
