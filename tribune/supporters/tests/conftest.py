"""Supporter badge test defaults and helpers: an empty cache, and comments by
proved (or unproved) readers through the discussion's services."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache, caches

from tribune.discussion import services, verification
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, DiscussionSettings, Thread
from tribune.discussion.submission import Guest, Submission
from tribune.discussion.tests import factories as d
from tribune.supporters import selectors


@pytest.fixture(autouse=True)
def _supporters_defaults(settings: Any) -> None:
    cache.clear()
    caches["local"].clear()
    selectors.forget_supporters()  # this process's list, from an earlier test
    settings.DISCUSSION_MIN_FILL_SECONDS = 0


def verify(email: str, guest_token: str) -> None:
    """Open the verification link the guest's browser asked for, as they would."""
    request = verification.request_email_verification(
        email=email, guest_token=guest_token, base_url="https://news.example.org"
    )
    assert request is not None
    token = signing.dumps(request.pk, salt=verification.SALT)
    assert verification.verify_guest_email(token=token) is not None


def guest_comment(
    thread: Thread,
    email: str,
    *,
    token: str,
    body: str = "A comment.",
    rules: DiscussionSettings | None = None,
) -> Comment:
    return services.post_comment(
        Submission(
            thread=thread,
            state="open",
            rules=rules or d.rules(),
            viewer=Viewer(guest_token=token),
            body=body,
            guest=Guest(name="Ada Lovegood", email=email),
            throttle=False,
        )
    )


def account_comment(
    thread: Thread, user: Any, *, rules: DiscussionSettings | None = None
) -> Comment:
    return services.post_comment(
        Submission(
            thread=thread,
            state="open",
            rules=rules or d.rules(),
            viewer=Viewer(user_id=user.pk),
            user=user,
            body="From my account.",
            throttle=False,
        )
    )
