"""Supporter badges on the article page, through the real views, ledger and caches."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from tribune.core import clock
from tribune.discussion import spam
from tribune.discussion.models import Comment
from tribune.discussion.tests import factories as d
from tribune.funding import donor_services
from tribune.funding import services as funding
from tribune.funding.tests import factories as f
from tribune.newsroom.tests import factories as newsroom
from tribune.supporters.tests.conftest import account_comment, guest_comment, verify

pytestmark = pytest.mark.django_db
ADA = "ada@example.org"
TOKEN = "a" * 32
_BADGE = re.compile(r'class="comment__badge[^"]*">([^<]+)<')


def badge_on(html: str, comment) -> str | None:
    """The badge in the header of the comment's box, or None."""
    header = html.split(f'id="comment-{comment.pk}"', 1)[1].split("</header>", 1)[0]
    found = _BADGE.search(header)
    return found.group(1) if found else None


def page(article) -> str:
    response = Client().get(article.url)
    assert response.status_code == 200
    return response.content.decode()


def verified_comment(article, email: str = ADA, token: str = TOKEN):
    verify(email, token)
    return guest_comment(d.thread(article), email, token=token)


def test_a_one_off_donor_shows_supporter_and_never_the_amount(home) -> None:
    f.donation("1234.56", email="Ada@Example.ORG")  # matched whatever the case
    article = newsroom.article()
    comment = verified_comment(article)
    html = page(article)
    assert badge_on(html, comment) == "Supporter"
    assert "1234" not in html and "1,234" not in html


def test_a_monthly_donor_shows_monthly_until_the_grace_after_the_last_payment(
    home, settings
) -> None:
    settings.SUPPORTERS_MONTHLY_GRACE_DAYS = 35
    paid = clock.now()
    f.donation("5", email=ADA, recurring=True, received_at=paid)
    article = newsroom.article()
    comment = verified_comment(article)
    assert badge_on(page(article), comment) == "Monthly supporter"
    with time_machine.travel(paid + dt.timedelta(days=34), tick=False):
        assert badge_on(page(article), comment) == "Monthly supporter"
    with time_machine.travel(paid + dt.timedelta(days=36), tick=False):
        assert badge_on(page(article), comment) == "Supporter"


def test_no_badge_for_a_guest_who_only_typed_a_donors_address(home) -> None:
    f.donation("10", email=ADA)
    article = newsroom.article()
    typed = guest_comment(d.thread(article), ADA, token="b" * 32)
    # Another browser verified the address: it proves nothing for this one.
    verify(ADA, "c" * 32)
    html = page(article)
    assert badge_on(html, typed) is None
    assert "comment__badge" not in html


def test_an_account_whose_address_gave_shows_the_badge(home) -> None:
    f.donation("10", email="Bert@Example.org")
    article = newsroom.article()
    bert = d.user(email="bert@example.org")
    comment = account_comment(d.thread(article), bert)
    assert badge_on(page(article), comment) == "Supporter"


def test_no_badge_for_failed_payments_or_readers_who_never_gave(home) -> None:
    f.donation("10", email=ADA, status="failed")
    article = newsroom.article()
    comment = verified_comment(article)
    assert badge_on(page(article), comment) is None


def test_no_badge_for_a_gift_wholly_refunded_but_one_partly_refunded_counts(
    home, django_capture_on_commit_callbacks
) -> None:
    gift = f.donation("10", email=ADA)
    article = newsroom.article()
    comment = verified_comment(article)

    def refund(total: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            funding.record_refund_total(
                provider=gift.provider,
                transaction_id=gift.transaction_id,
                refunded_total=Decimal(total),
                currency="USD",
                occurred_at=clock.now(),
            )

    refund("4")
    assert badge_on(page(article), comment) == "Supporter"
    refund("10")
    assert badge_on(page(article), comment) is None


def test_a_donor_who_hides_the_badge_shows_none_and_cached_pages_follow(
    home, django_capture_on_commit_callbacks
) -> None:
    f.donation("10", email=ADA)
    article = newsroom.article()
    comment = verified_comment(article)
    assert badge_on(page(article), comment) == "Supporter"  # now in the page cache
    with django_capture_on_commit_callbacks(execute=True):
        donor_services.choose_badge(email="ADA@example.org", shown=False)
    assert badge_on(page(article), comment) is None
    with django_capture_on_commit_callbacks(execute=True):
        donor_services.choose_badge(email=ADA, shown=True)
    assert badge_on(page(article), comment) == "Supporter"


def test_a_new_gift_shows_the_badge_on_a_cached_page(
    home, django_capture_on_commit_callbacks
) -> None:
    article = newsroom.article()
    comment = verified_comment(article)
    assert badge_on(page(article), comment) is None  # cached without a badge
    with django_capture_on_commit_callbacks(execute=True):
        f.donation("10", email=ADA)
    assert badge_on(page(article), comment) == "Supporter"
    with django_capture_on_commit_callbacks(execute=True):
        f.donation("10", email=ADA, recurring=True)
    assert badge_on(page(article), comment) == "Monthly supporter"


def test_an_older_choice_arriving_late_does_not_undo_a_newer_one(home) -> None:
    now = clock.now()
    donor_services.choose_badge(email=ADA, shown=False, chosen_at=now)
    late = donor_services.choose_badge(
        email=ADA, shown=True, chosen_at=now - dt.timedelta(days=30)
    )
    assert late is not None and late.shown is False
    assert donor_services.choose_badge(email="  ", shown=True) is None


def test_badges_cost_one_query_whatever_the_number_of_supporters(
    home, django_assert_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(article) -> int:
        with CaptureQueriesContext(connection) as captured:
            Client().get(f"{article.url}?call=1")  # a query string: not page-cached
        return len(captured.captured_queries)

    few, many = newsroom.article(), newsroom.article()
    for n in range(2):
        f.donation("10", email=f"few{n}@example.org")
        verify(f"few{n}@example.org", f"{n:032d}")
        guest_comment(d.thread(few), f"few{n}@example.org", token=f"{n:032d}")
    for n in range(30):
        f.donation("10", email=f"many{n}@example.org", recurring=n % 2 == 0)
        verify(f"many{n}@example.org", f"{n + 100:032d}")
        guest_comment(d.thread(many), f"many{n}@example.org", token=f"{n + 100:032d}")
    queries(few)  # warm the per-process caches and the list of supporters
    queries(many)  # and each report's own part (decision 0036)
    expected = queries(few)
    with django_assert_num_queries(expected):
        html = Client().get(f"{many.url}?call=1").content.decode()
    assert html.count("Monthly supporter") == 15


def test_the_comment_api_carries_the_badge_but_not_for_typed_addresses(home) -> None:
    f.donation("10", email=ADA, recurring=True)
    article = newsroom.article()
    proved = verified_comment(article)
    typed = guest_comment(d.thread(article), ADA, token="b" * 32)
    listed = Client().get(f"/api/threads/{article.pk}/comments").json()["comments"]
    badge = {c["id"]: c["author"]["badge"] for c in listed}
    assert badge == {proved.pk: "monthly", typed.pk: None}
    voted = Client().post(
        f"/api/comments/{proved.pk}/vote", {"value": 1}, content_type="application/json"
    )
    assert voted.json()["comment"]["author"]["badge"] == "monthly"


def _post(client: Client, article, email: str) -> dict:
    response = client.post(
        f"/api/threads/{article.pk}/comments",
        {
            "body": "A comment.",
            "name": "Ada Lovegood",
            "email": email,
            "started": spam.issue_form_token(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    return response.json()


def test_a_posted_comments_answer_carries_the_badge_of_a_proved_guest(home) -> None:
    f.donation("10", email=ADA, recurring=True)
    article = newsroom.article()
    client = Client()
    first = _post(client, article, ADA)  # a new guest: proved nothing yet
    assert first["comment"]["author"]["badge"] is None
    verify(ADA, Comment.objects.get(pk=first["comment"]["id"]).guest_token)
    again = _post(client, article, ADA)  # the same browser, its address verified
    assert again["comment"]["author"]["badge"] == "monthly"


def test_a_new_guests_answer_looks_up_no_verification(home) -> None:
    """A guest made by the request cannot have verified the donor's address it
    typed: its answer shows no badge, without asking."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f.donation("10", email=ADA)
    article = newsroom.article()
    d.rules()  # published at once: posting asks nothing about the address either
    _post(Client(), article, ADA)  # the list of supporters is read once
    with CaptureQueriesContext(connection) as captured:
        answer = _post(Client(), article, ADA)
    assert answer["comment"]["author"]["badge"] is None
    asked = [q["sql"] for q in captured.captured_queries]
    assert not [sql for sql in asked if "emailverification" in sql.lower()]
