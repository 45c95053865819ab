import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tribune.core import clock
from tribune.discussion import services, spam
from tribune.discussion.models import Action
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(settings):
    settings.PAGECACHE_SECONDS = 60
    factories.rules()
    return newsroom.article()


def get(url, client=None):
    response = (client or Client()).get(url)
    return response.get("X-Page-Cache"), response.content.decode()


def field(page, name):
    return re.search(rf'name="{name}" value="([^"]+)"', page).group(1)


def test_cached_article_gives_every_reader_a_fresh_form_key_and_timestamp(article):
    first, one = get(article.url)
    with time_machine.travel(clock.now() + dt.timedelta(seconds=5)):
        second, two = get(article.url)  # signed timestamps have 1 s resolution
    assert (first, second) == ("miss", "hit")
    assert field(one, "key") != field(two, "key")
    assert field(one, "started") != field(two, "started")
    spam.check_form_token(field(one, "started"))


def test_new_comment_vote_and_moderation_refresh_the_cached_page(
    article, django_capture_on_commit_callbacks
):
    get(article.url)
    with django_capture_on_commit_callbacks(execute=True):
        comment = factories.comment(
            in_thread=factories.thread(article), body="Fresh news"
        )
    state, page = get(article.url)
    assert state == "miss"
    assert "Fresh news" in page
    get(article.url)
    with django_capture_on_commit_callbacks(execute=True):
        services.vote(
            comment=comment, viewer=factories.guest_viewer(), value=1, state="open"
        )
    assert '<span class="vote__score" data-score>1</span>' in get(article.url)[1]
    moderator = factories.user()
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_comments(
            comment_ids=[comment.pk], action=Action.SPAM, moderator=moderator
        )
    assert "Fresh news" not in get(article.url)[1]


def test_the_list_fragment_is_refreshed_too(
    article, django_capture_on_commit_callbacks
):
    url = reverse("discussion:fragment", args=[article.pk])
    get(url)
    with django_capture_on_commit_callbacks(execute=True):
        factories.comment(in_thread=factories.thread(article), body="Also in the list")
    assert "Also in the list" in get(url)[1]


def test_a_guest_with_a_cookie_bypasses_the_cache(article, settings):
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    factories.rules(moderation="hold_all")
    guest = Client()
    guest.post(
        reverse("discussion:post", args=[article.pk]),
        {
            "body": "Held words",
            "name": "Ada",
            "email": "ada@example.org",
            "key": "k" * 32,
            "started": spam.issue_form_token(),
        },
    )
    state, page = get(article.url, guest)
    assert state is None
    assert "Held words" in page
    assert "Held words" not in get(article.url)[1]


def test_a_guest_shares_the_public_copy_of_threads_they_took_no_part_in(article):
    other = newsroom.article()
    comment = factories.comment(in_thread=factories.thread(article), body="Words")
    guest = Client()
    assert guest.post(
        reverse("discussion:vote", args=[comment.pk]), {"value": "up"}
    ).status_code in (302, 303)
    assert "tribune_guest" in guest.cookies
    get(other.url)
    get(article.url)
    assert get(other.url, guest)[0] == "hit"
    state, page = get(article.url, guest)
    assert state is None  # their vote is on this page: rendered for them
    assert 'class="vote__up" name="value" value="none" aria-pressed="true"' in page


def test_the_kept_page_address_follows_a_new_slug_and_a_new_host(article):
    from wagtail.models import Site

    from tribune.discussion import pages

    site_id, before = pages.get_page_address(article)
    assert before == article.url
    article.slug = "renamed-report"
    article.save()
    assert pages.get_page_address(article) == (site_id, article.url)
    assert "renamed-report" in article.url
    Site.objects.create(hostname="other.example", root_page=article.get_parent())
    site = Site.objects.get(pk=site_id)
    site.hostname = "moved.example"
    site.save()
    assert pages.get_page_address(article)[1] == article.url
