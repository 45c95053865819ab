"""In a real browser: the badge shows beside a supporter's name, styled by the
site's stylesheet (no inline style under the strict CSP), and nowhere else."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tribune.discussion.tests import factories as d
from tribune.funding.tests import factories as f
from tribune.newsroom.tests import factories as newsroom
from tribune.supporters.tests.conftest import guest_comment, verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_sees_the_supporter_badge_beside_the_name(page, live_server) -> None:
    article = newsroom.article(title="Bridge works resume")
    thread = d.thread(article)
    f.donation("12", email="ada@example.org", recurring=True)
    verify("ada@example.org", "a" * 32)
    supporter = guest_comment(thread, "ada@example.org", token="a" * 32)
    other = guest_comment(thread, "bert@example.org", token="b" * 32)
    page.goto(live_server.url + article.url)
    badge = page.locator(f"#comment-{supporter.pk} .comment__badge").first
    expect(badge).to_have_text("Monthly supporter")
    # Drawn by discussion.css (a border), so the stylesheet loaded under the CSP.
    assert badge.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    expect(page.locator(f"#comment-{other.pk} .comment__badge")).to_have_count(0)
    text = page.inner_text(f"#comment-{supporter.pk}")
    assert "$12" not in text and "12.00" not in text
    assert page.errors == []
