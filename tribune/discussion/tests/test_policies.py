import datetime as dt

import pytest

from tribune.core import clock
from tribune.discussion import policies
from tribune.discussion.identity import Viewer
from tribune.discussion.models import (
    Comment,
    HeldReason,
    ModerationPolicy,
    SiteCommentsMode,
    Status,
)


def comment(**fields):
    fields.setdefault("status", Status.APPROVED)
    fields.setdefault("created_at", clock.now())
    return Comment(**fields)


@pytest.mark.parametrize(
    ("page", "site", "state"),
    [
        ("default", "open", "open"),
        ("default", "closed", "closed"),
        ("default", "hidden", "hidden"),
        ("open", "closed", "open"),
        ("closed", "open", "closed"),
        ("hidden", "open", "hidden"),
    ],
)
def test_report_setting_wins_over_the_site_default(page, site, state):
    assert policies.thread_state(page, site) == state


@pytest.mark.parametrize("page", ["default", "", "Open", "open", "closed", "hidden"])
@pytest.mark.parametrize("site", ["default", "x", "open", "closed", "hidden"])
def test_the_state_is_the_first_known_mode_else_open(page, site):
    state = policies.thread_state(page, site)
    known = [m for m in (page, site) if m in SiteCommentsMode.values]
    assert type(state) is SiteCommentsMode
    assert state == (known[0] if known else SiteCommentsMode.OPEN)


def test_author_is_recognised_by_account_or_guest_token():
    assert policies.is_author(comment(author_id=5), Viewer(user_id=5))
    assert not policies.is_author(comment(author_id=5), Viewer(user_id=6))
    assert policies.is_author(
        comment(guest_token="t" * 32), Viewer(guest_token="t" * 32)
    )
    assert not policies.is_author(comment(guest_token=""), Viewer(guest_token=""))


def test_edit_window_is_fifteen_minutes():
    mine = comment(guest_token="t" * 32)
    viewer = Viewer(guest_token="t" * 32)
    assert policies.can_edit(mine, viewer, mine.created_at + dt.timedelta(minutes=14))
    assert not policies.can_edit(
        mine, viewer, mine.created_at + dt.timedelta(minutes=15)
    )


def test_deleted_comment_cannot_be_edited():
    mine = comment(guest_token="t" * 32, status=Status.DELETED)
    assert not policies.can_edit(mine, Viewer(guest_token="t" * 32))


def test_votes_need_an_open_thread_a_visible_comment_and_another_author():
    theirs = comment(author_id=1)
    me = Viewer(user_id=2)
    assert policies.can_vote(theirs, me, "open")
    assert not policies.can_vote(theirs, me, "closed")
    assert not policies.can_vote(theirs, Viewer(user_id=1), "open")
    assert not policies.can_vote(
        comment(author_id=1, status=Status.PENDING), me, "open"
    )


def test_held_comments_are_seen_only_by_their_author():
    held = comment(author_id=1, status=Status.PENDING)
    assert policies.can_see(held, Viewer(user_id=1))
    assert not policies.can_see(held, Viewer(user_id=2))
    assert not policies.can_see(
        comment(status=Status.SPAM, author_id=1), Viewer(user_id=1)
    )


@pytest.mark.parametrize(
    ("policy", "guest", "known", "word", "expected"),
    [
        ("publish", True, False, None, (Status.APPROVED, HeldReason.NONE)),
        ("publish", True, False, "casino", (Status.PENDING, HeldReason.WORDS)),
        (
            "hold_first_guest",
            True,
            False,
            None,
            (Status.PENDING, HeldReason.FIRST_GUEST),
        ),
        ("hold_first_guest", True, True, None, (Status.APPROVED, HeldReason.NONE)),
        ("hold_first_guest", False, False, None, (Status.APPROVED, HeldReason.NONE)),
        ("hold_all", False, True, None, (Status.PENDING, HeldReason.POLICY)),
    ],
)
def test_initial_status_follows_the_policy(policy, guest, known, word, expected):
    assert (
        policies.initial_status(
            policy=ModerationPolicy(policy),
            is_guest=guest,
            guest_is_trusted=known,
            held_word=word,
        )
        == expected
    )
