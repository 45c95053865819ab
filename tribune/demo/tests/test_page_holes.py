"""No stored text can open a page-cache hole (issue 11, finding 1).

Every stored-text field a reader or editor writes carries every hole name in the
marker form the cache once used; anonymous readers then view the pages several
times with the cache on, over the shared cache in memory and in Redis.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tribune.config import env
from tribune.core import pagecache
from tribune.discussion import spam
from tribune.discussion.models import Comment, PassageState
from tribune.discussion.tests import factories
from tribune.funding import services as funding
from tribune.funding.models import SupporterMessage
from tribune.funding.tests import factories as funding_factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db

FAKE_TOKEN = "A" * 64
NAMES = sorted({*pagecache._GENERATORS, "csrf", "csp_nonce", "uuid", "zzz"})
# Every hole name in the old marker form, the old comment-box placeholder and a
# text that looks like a CSRF field (comment bodies keep quotes as text).
PAYLOAD = "".join(f"\ue000{name}\ue001" for name in NAMES) + "discussion-csrf-hole"
TEXT = f"BEGIN{PAYLOAD}END"
BODY = f'BEGIN{PAYLOAD} name="csrfmiddlewaretoken" value="{FAKE_TOKEN}"END'
SEGMENT = re.compile(r"BEGIN(.*?)END", re.S)
# The cache's own placeholder (U+E000 secret:name U+E001) is never served.
PLACEHOLDER = re.compile("\ue000[0-9a-f]{32}:")


@pytest.fixture(params=["memory", "redis"])
def shared_cache(request, settings) -> str:
    """The page cache on, with its generations in memory or in Redis."""
    if request.param == "redis":
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": env.get("REDIS_URL") or "redis://127.0.0.1:6379/1",
                "KEY_PREFIX": "tribune-test-holes",
            },
        }
    caches["default"].clear()
    caches["local"].clear()
    settings.PAGECACHE_SECONDS = 60
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    yield request.param
    caches["default"].clear()


def _post_over_http(article) -> None:
    response = Client().post(
        reverse("discussion:post", args=[article.pk]),
        {
            "body": BODY,
            "name": f"Ada {TEXT}",
            "email": "ada@example.org",
            "website": f"https://example.org/{TEXT}",
            "key": "b" * 32,
            "started": spam.issue_form_token(),
            "nickname": "",
        },
    )
    assert response.status_code == 303


def _stored_before_cleaning(article) -> None:
    """A comment whose text was stored as typed (before input was cleaned)."""
    comment = factories.comment(in_thread=factories.thread(article))
    Comment.objects.filter(pk=comment.pk).update(
        body_html=f"<p>{BODY}</p>",
        author_name=TEXT,
        author_website=f"https://example.org/{TEXT}",
        passage_state=PassageState.ANCHORED,
        passage_block="b",
        passage_exact=TEXT,
    )


def _wall_messages() -> None:
    funding_factories.donation(
        public_name=f"Ana {TEXT}", message=TEXT, show_on_wall=True
    )
    funding_factories.donation(public_name="Raw", message="x", show_on_wall=True)
    raw = SupporterMessage.objects.get(public_name="Raw")
    SupporterMessage.objects.filter(pk=raw.pk).update(public_name=TEXT, message=TEXT)
    for message in SupporterMessage.objects.all():
        funding.moderate_message(message=message, approve=True)


def _per_reader_values(response) -> set[str]:
    html = response.content.decode()
    values = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    values |= set(re.findall(r'name="(?:key|started)" value="([^"]+)"', html))
    values |= set(re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"]))
    return values - {FAKE_TOKEN}


def _read_three_times(url: str, at_least: int) -> None:
    seen = []
    for _ in range(3):
        response = Client().get(url)
        assert response.status_code == 200
        html = response.content.decode()
        segments = SEGMENT.findall(html)
        assert len(segments) >= at_least
        for value in _per_reader_values(response):
            assert not any(value in segment for segment in segments), value
        assert not PLACEHOLDER.search(html)
        seen.append(segments)
    # A hole filled inside the text would differ from one reader to the next.
    assert seen[0] == seen[1] == seen[2]


def test_no_stored_text_opens_a_hole(shared_cache) -> None:
    factories.rules()
    article = newsroom.article(paragraphs=("A plain paragraph.", TEXT))
    _post_over_http(article)
    _stored_before_cleaning(article)
    _wall_messages()
    # Paragraph; body, name and website of each comment; the stored quote.
    _read_three_times(article.url, at_least=8)
    _read_three_times(reverse("funding:wall"), at_least=4)
    assert Client().get(article.url)["X-Page-Cache"] == "hit"
