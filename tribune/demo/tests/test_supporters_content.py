"""The demo shows supporter badges: two demo donors comment from their accounts."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.test import Client

from tribune.demo import (
    discussion_content,
    funding_content,
    newsroom_content,
    supporters_content,
)
from tribune.discussion.models import Comment
from tribune.supporters import selectors as supporters

pytestmark = pytest.mark.django_db


def test_the_demo_shows_both_badges_once_and_no_amount(settings) -> None:
    cache.clear()
    caches["local"].clear()
    supporters.forget_supporters()
    newsroom_content.load()
    funding_content.load()
    discussion_content.load()
    assert supporters_content.load().comments == 2
    assert supporters_content.load().comments == 0  # once
    comment = Comment.objects.get(author__username="demo-donor-0")
    html = Client().get(comment.thread.page.url + "?call=1").content.decode()
    assert html.count(">Monthly supporter<") == 1
    assert html.count(">Supporter<") == 1
    assert comment.author_email not in html
