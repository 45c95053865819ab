import dataclasses
import datetime as dt
import random
import re

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.template.loader import get_template
from django.test import Client
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import translation
from django.utils.safestring import mark_safe

from tribune.discussion import (
    comment_views,
    conf,
    fragments,
    identity,
    services,
    tree,
)
from tribune.discussion.models import Action, Comment
from tribune.discussion.templatetags.discussion_tags import comment_action
from tribune.discussion.tests import factories
from tribune.newsroom.models import CommentsMode
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    factories.rules()
    return newsroom.article()


def box_keys():
    local = caches["local"].lru_keys()
    return [k for k in local if ":discussion:box:" in k]


def test_shared_boxes_are_cached_and_keyed_by_version(client, article):
    comment = factories.comment(in_thread=factories.thread(article))
    client.get(article.url)
    first = box_keys()
    assert len(first) == 1
    client.get(article.url)
    assert box_keys() == first
    services.vote(
        comment=comment, viewer=factories.guest_viewer(), value=1, state="open"
    )
    page = client.get(article.url).content.decode()
    assert '<span class="vote__score" data-score>1</span>' in page
    assert len(box_keys()) == 2


def test_moderator_edit_without_edited_marker_still_refreshes_the_box(client, article):
    comment = factories.comment(in_thread=factories.thread(article), body="Before")
    client.get(article.url)
    services.moderate_edit_comment(
        comment=comment, moderator=factories.user(), body="After"
    )
    page = client.get(article.url).content.decode()
    assert "After" in page
    assert "Before" not in page


def test_the_authors_edit_links_and_a_voters_choice_never_reach_others(article):
    author, voter, other = Client(), Client(), Client()
    viewer = factories.guest_viewer()
    comment = factories.comment(in_thread=factories.thread(article), viewer=viewer)
    from django.http import HttpResponse

    from tribune.discussion import identity

    response = HttpResponse()
    identity.remember_guest(response, viewer)
    author.cookies.update(response.cookies)
    voter.post(reverse("discussion:vote", args=[comment.pk]), {"value": "up"})
    edit_url = reverse("discussion:edit", args=[comment.pk])
    assert edit_url in author.get(article.url).content.decode()
    assert 'aria-pressed="true"' in voter.get(article.url).content.decode()
    seen = other.get(article.url).content.decode()
    assert edit_url not in seen
    assert 'aria-pressed="true"' not in seen
    assert "data-score>1<" in seen


def test_cached_vote_forms_carry_the_readers_own_csrf_token(article):
    comment = factories.comment(in_thread=factories.thread(article))
    Client().get(article.url)  # fills the cache with another reader's render
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(article.url).content.decode()
    form = page[page.index(f'action="/comments/c/{comment.pk}/vote/"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = reader.post(
        reverse("discussion:vote", args=[comment.pk]),
        {"value": "up", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 303


@pytest.mark.parametrize("prefix", ["/", "/news/"])
@pytest.mark.parametrize("action", ["vote", "edit", "delete", "report"])
def test_comment_action_addresses_equal_reverse(action, prefix):
    before = get_script_prefix()
    set_script_prefix(prefix)
    try:
        for comment_id in (1, 47, 2_000_000):
            expected = reverse(f"discussion:{action}", args=[comment_id])
            assert comment_action(action, comment_id) == expected
            assert expected.startswith(prefix)
    finally:
        set_script_prefix(before)


def _field(page, name):
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def test_the_kept_comment_form_posts_with_the_readers_own_values(article):
    Client().get(article.url)  # keeps the guest's form for this process
    first = Client().get(article.url).content.decode()
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(article.url).content.decode()
    form = page[page.index('id="comment-form"') :]
    form = form[: form.index("</form>")]
    values = {name: _field(form, name) for name in ("csrfmiddlewaretoken", "key")}
    for value in values.values():
        assert value
        assert value not in first  # made for this reader, not kept
    values["started"] = _field(form, "started")  # a signed time: fresh per second
    response = reader.post(
        reverse("discussion:post", args=[article.pk]),
        {**values, "body": "From the kept form.", "name": "Ann", "email": "a@x.org"},
    )
    assert response.status_code == 303, response.content.decode()[:500]
    assert Comment.objects.filter(body_markdown="From the kept form.").exists()


# Rows (fragments.render_rows): kept per comment version and row shape.


def row_keys():
    return [k for k in caches["local"].lru_keys() if ":discussion:row:" in k]


def _list(page):
    """The comment list of a page, CSRF tokens masked."""
    start = page.index("data-discussion-comments>")
    listed = page[start : page.index("</ol>\n  ", start)]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", listed)


def _guest(viewer):
    reader = Client()
    response = HttpResponse()
    identity.remember_guest(response, viewer)
    reader.cookies.update(response.cookies)
    return reader


def test_rows_from_the_cache_equal_a_fresh_render_for_every_kind_of_row(article):
    thread = factories.thread(article)
    mine = factories.guest_viewer()
    folded = factories.comment(in_thread=thread)
    for _ in range(conf.get("COLLAPSE_AFTER") + 1):
        factories.comment(parent=folded)
    chain = factories.comment(in_thread=thread)
    deep = factories.comment(parent=factories.comment(parent=chain))
    gone = factories.comment(in_thread=thread)
    factories.comment(parent=gone)
    services.moderate_comments(
        comment_ids=[gone.pk], action=Action.DELETE, moderator=factories.user()
    )
    own = factories.comment(parent=chain, viewer=mine)
    reader = _guest(mine)
    reader.post(reverse("discussion:vote", args=[deep.pk]), {"value": "down"})
    for address in (article.url, f"{article.url}?comment={deep.pk}"):
        for who in (reader, Client()):
            caches["local"].clear()
            fresh = _list(who.get(address).content.decode())
            assert row_keys()  # the shared rows were kept
            kept = _list(who.get(address).content.decode())
            assert kept == fresh
    assert f'id="comment-{own.pk}"' in fresh


def test_a_new_reply_and_a_removal_change_the_kept_rows_around_them(article):
    top = factories.comment(in_thread=factories.thread(article))
    replies = [
        factories.comment(parent=top) for _ in range(conf.get("COLLAPSE_AFTER") + 1)
    ]
    client = Client()
    assert f"View {len(replies)} replies" in client.get(article.url).content.decode()
    factories.comment(parent=top)
    page = client.get(article.url).content.decode()
    assert f"View {len(replies) + 1} replies" in page
    services.moderate_comments(
        comment_ids=[r.pk for r in replies] + [top.replies.last().pk],
        action=Action.DELETE,
        moderator=factories.user(),
    )
    page = client.get(article.url).content.decode()
    assert "replies</summary>" not in page
    assert 'class="comment__replies"' not in page
    assert f'id="comment-{replies[0].pk}"' not in page


def test_kept_rows_never_carry_one_readers_state_to_another(article):
    thread = factories.thread(article)
    author_viewer = factories.guest_viewer()
    comment = factories.comment(in_thread=thread, viewer=author_viewer)
    other_comment = factories.comment(in_thread=thread)
    other = Client()
    before = other.get(article.url).content.decode()  # keeps the shared rows
    author, voter = _guest(author_viewer), Client()
    voter.post(reverse("discussion:vote", args=[other_comment.pk]), {"value": "up"})
    edit_url = reverse("discussion:edit", args=[comment.pk])
    assert edit_url in author.get(article.url).content.decode()
    assert 'aria-pressed="true"' in voter.get(article.url).content.decode()
    focused = other.get(f"{article.url}?comment={comment.pk}").content.decode()
    assert f'comment--focus" id="comment-{comment.pk}"' in focused
    after = other.get(article.url).content.decode()
    assert edit_url not in after
    assert 'aria-pressed="true"' not in after
    assert "comment--focus" not in after
    assert "data-score>1<" in after  # the vote is counted for everyone
    assert after.count("data-score>") == before.count("data-score>")


def test_kept_rows_follow_the_language_and_the_threads_state(settings, article):
    settings.LANGUAGES = [("en", "English"), ("de", "Deutsch")]
    top = factories.comment(in_thread=factories.thread(article))
    english = Client().get(article.url).content.decode()
    german = Client().get(article.url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert ">Reply</a>" in english
    assert ">Antworten</a>" in german
    assert ">Reply</a>" in Client().get(article.url).content.decode()
    article.comments = CommentsMode.CLOSED
    article.save_revision().publish()
    closed = Client().get(article.url).content.decode()
    assert f'action="/comments/c/{top.pk}/vote/"' not in closed
    assert ">Reply</a>" not in closed


def test_the_kept_section_head_follows_the_count_and_the_state(settings, article):
    settings.LANGUAGES = [("en", "English"), ("de", "Deutsch")]
    thread = factories.thread(article)
    factories.comment(in_thread=thread)
    client = Client()
    assert ">1 Comment</h2>" in client.get(article.url).content.decode()
    factories.comment(in_thread=thread)
    page = client.get(article.url).content.decode()
    assert ">2 Comments</h2>" in page
    assert 'discussion-bubble__count">2<' in page
    german = client.get(article.url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert ">2 Kommentare</h2>" in german
    article.comments = CommentsMode.HIDDEN
    article.save_revision().publish()
    assert 'id="comments"' not in client.get(article.url).content.decode()


# Personal boxes (the reader's own, voted or focused): filled from a stand-in
# box of the same shape, equal to the template's own render.


def _box_shapes():
    rng = random.Random(15)
    names = ["Ann", '<b>O\'Brien & "Co"</b>', "Zoë {{ x }} %s", "2147483611"]
    sites = ["", "https://example.org/?a=1&b=<2>", 'http://x.test/"q"']
    bodies = [
        "<p>Plain.</p>",
        "<p>A <em>b</em> &amp; {% csrf_token %} 2001-02-03</p>",
        "<p>discussion-name</p>\n<p>two</p>",
    ]
    times = [
        dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC),
        dt.datetime(2001, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
    ]
    statuses = [
        ("approved", ""),
        ("pending", "banned"),
        ("pending", "first_post"),
        ("pending", "offensive"),
    ]
    for i in range(400):
        status, held = rng.choice(statuses)
        comment = Comment(
            pk=rng.choice([1, 9, 47, 1234, 2_000_000_000]) + i,
            author_name=rng.choice(names),
            author_website=rng.choice(sites),
            body_html=rng.choice(bodies),
            created_at=rng.choice(times),
            edited_at=rng.choice([None, times[0]]),
            status=status,
            held_reason=held,
            parent_id=rng.choice([None, 5]),
            score=rng.choice([0, 1, -3, 1234567]),
        )
        view = comment_views.CommentView(
            comment=comment,
            my_vote=rng.choice([0, 1, -1]),
            is_mine=rng.random() < 0.5,
            may_edit=rng.random() < 0.5,
            may_vote=rng.random() < 0.5,
            may_reply=rng.random() < 0.7,
            badge=rng.choice(["", "supporter", "monthly"]),
        )
        reply_to = rng.choice([None, None, "Bob", "<i>Eve & co</i>"])
        yield tree.Node(
            comment.pk, comment.parent_id, "", True, view, reply_to=reply_to
        )


@pytest.mark.parametrize("language", ["en", "de", "uk"])
@pytest.mark.parametrize("prefix", ["/", "/news/"])
def test_filled_personal_boxes_equal_the_templates_render(language, prefix):
    before = get_script_prefix()
    set_script_prefix(prefix)
    template = get_template(fragments.TEMPLATE)
    try:
        with translation.override(language):
            for node in _box_shapes():
                fragments.render_boxes(
                    [node], state="open", request=None, focus=node.id, token="T0k"
                )
                context = {
                    "node": node,
                    "c": node.item.comment,
                    "view": node.item,
                    "csrf_token": "T0k",
                }
                assert node.item.box_html == template.render(context)
    finally:
        set_script_prefix(before)
    kept = [k for k in caches["local"].lru_keys() if ":discussion:own:" in k]
    assert kept  # the boxes were filled, not rendered


def _report(client, url):
    page = client.get(url).content.decode()
    return page[page.index('<article class="report">') : page.index("</article>")]


def test_closing_comments_removes_the_kept_reports_passage_links(client, article):
    """The report's part of its page is kept (decision 0036) under whether its
    comments are open (`comments_state`): its passage links show only then."""
    assert _report(client, article.url).count("data-passage-link") == 2
    # Without a page save: the state read for the key, not a generation, decides.
    pages = type(article).objects.filter(pk=article.pk)
    pages.update(comments=CommentsMode.CLOSED)
    assert "data-passage-link" not in _report(client, article.url)
    pages.update(comments=CommentsMode.DEFAULT)
    assert "data-passage-link" in _report(client, article.url)
    factories.rules(comments="closed")  # the site's default
    assert "data-passage-link" not in _report(client, article.url)


def _rows_reference(row, focus):
    """A row as rows.html renders it, its box from the template; without a
    request the token's place is left empty."""
    node = row.node
    mark = "reference-csrf-mark"
    box = get_template(fragments.TEMPLATE).render(
        {"node": node, "c": node.item.comment, "view": node.item, "csrf_token": mark}
    )
    view = dataclasses.replace(node.item, box_html=mark_safe(box))  # noqa: S308
    node = dataclasses.replace(node, item=view)
    row = tree.Row(node, row.has_children, row.folded, row.closes)
    context = {"row": row, "node": node, "focus": focus}
    return get_template(fragments.ROW_TEMPLATE).render(context).replace(mark, "")


@pytest.mark.parametrize("language", ["en", "de"])
def test_filled_own_rows_equal_the_templates_render(language):
    rng = random.Random(42)
    with translation.override(language):
        for node in _box_shapes():
            node.shown = rng.random() < 0.8
            focus = rng.choice([node.id, node.id, None, 7])
            row = tree.Row(node, False, False, [])
            expected = _rows_reference(row, focus)
            got = fragments.render_rows([row], state="open", request=None, focus=focus)
            assert got == expected
    kept = [k for k in caches["local"].lru_keys() if ":discussion:own-row:" in k]
    assert kept  # the rows were filled, not rendered


def test_a_posted_comments_row_is_the_templates_render(article):
    thread = factories.thread(article)
    viewer = factories.guest_viewer()
    for held in (False, True):
        comment = factories.comment(in_thread=thread, viewer=viewer)
        if held:
            comment.status, comment.held_reason = "pending", "first_post"
        node = comment_views.present_posted(comment, viewer, "open")
        rows = tree.flatten([node], fold_after=0)
        caches["local"].clear()
        rendered = fragments.render_rows(
            rows, state="open", request=None, focus=node.id
        )
        filled = fragments.render_rows(rows, state="open", request=None, focus=node.id)
        assert filled == rendered == _rows_reference(rows[0], node.id)
        assert ("comment--held" in filled) is held
