"""The site setting that lets proved supporters skip the hold for review."""

from __future__ import annotations

import pytest

from tribune.discussion.models import ModerationPolicy, Status
from tribune.discussion.tests import factories as d
from tribune.funding.tests import factories as f
from tribune.supporters.tests.conftest import account_comment, guest_comment, verify

pytestmark = pytest.mark.django_db
ADA = "ada@example.org"
TOKEN = "a" * 32


def rules(skip: bool, policy: str = ModerationPolicy.HOLD_ALL, **fields):
    return d.rules(moderation=policy, supporters_skip_hold=skip, **fields)


@pytest.mark.parametrize(
    "policy", [ModerationPolicy.HOLD_ALL, ModerationPolicy.HOLD_FIRST_GUEST]
)
def test_a_verified_supporter_is_published_when_the_site_says_so(home, policy) -> None:
    f.donation("10", email=ADA)
    verify(ADA, TOKEN)
    comment = guest_comment(d.thread(), ADA, token=TOKEN, rules=rules(True, policy))
    assert comment.status == Status.APPROVED


def test_a_supporter_account_is_published_when_all_comments_are_held(home) -> None:
    f.donation("10", email="bert@example.org")
    bert = d.user(email="Bert@Example.org")
    assert account_comment(d.thread(), bert, rules=rules(True)).status == (
        Status.APPROVED
    )
    assert account_comment(d.thread(), bert, rules=rules(False)).status == (
        Status.PENDING
    )


def test_a_supporter_who_hides_the_badge_still_skips_the_hold(home) -> None:
    from tribune.funding import donor_services

    f.donation("10", email=ADA)
    donor_services.choose_badge(email=ADA, shown=False)
    verify(ADA, TOKEN)
    comment = guest_comment(d.thread(), ADA, token=TOKEN, rules=rules(True))
    assert comment.status == Status.APPROVED


def test_held_without_the_setting_proof_or_gift(home) -> None:
    f.donation("10", email=ADA)
    verify(ADA, TOKEN)
    thread = d.thread()
    assert guest_comment(thread, ADA, token=TOKEN, rules=rules(False)).status == (
        Status.PENDING
    )
    # The donor's address typed in another browser proves nothing.
    typed = guest_comment(thread, ADA, token="b" * 32, rules=rules(True))
    assert typed.status == Status.PENDING
    verify("bert@example.org", "c" * 32)  # verified, but never gave
    other = guest_comment(thread, "bert@example.org", token="c" * 32, rules=rules(True))
    assert other.status == Status.PENDING


def test_held_words_still_hold_a_supporter(home) -> None:
    f.donation("10", email=ADA)
    verify(ADA, TOKEN)
    comment = guest_comment(
        d.thread(),
        ADA,
        token=TOKEN,
        body="Buy cheap pills here.",
        rules=rules(True, held_words="cheap pills"),
    )
    assert comment.status == Status.PENDING
