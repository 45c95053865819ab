import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import get_script_prefix, reverse, set_script_prefix

from tribune.discussion import services
from tribune.discussion.models import Comment
from tribune.discussion.templatetags.discussion_tags import comment_action
from tribune.discussion.tests import factories
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
