"""Demo supporter badges: two demo donors comment from their accounts.

Their addresses are those of gifts already in the demo ledger (funding_content),
so the goal bar's figures stay as they are: one gave monthly within the grace
period ("Monthly supporter"), the other gave without a running monthly gift
("Supporter").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from tribune.core import clock
from tribune.discussion import badges, policies, services
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, DiscussionSettings, ModerationPolicy
from tribune.discussion.submission import Submission
from tribune.supporters import selectors as supporters

# (first name, badge wanted, comment)
READERS = [
    (
        "Marta Velasquez",
        badges.MONTHLY,
        "I give every month because this is the only place that covers the "
        "council's budget line by line. Keep going.",
    ),
    (
        "Jonas Berg",
        badges.SUPPORTER,
        "Gave once last spring after the flood coverage. Worth every cent.",
    ),
]


@dataclass(frozen=True)
class DemoSupporters:
    comments: int


def _address_with(badge: str, taken: set[str]) -> str | None:
    now = clock.now()
    index = supporters.supporter_index()
    return next(
        (
            email
            for email, entry in sorted(index.items())
            if entry[0]
            and email not in taken
            and supporters.badge_of(entry, now) == badge
        ),
        None,
    )


def load() -> DemoSupporters:
    """Post the donors' comments on the busiest demo thread once."""
    thread = (
        Comment.objects.order_by("-thread__comment_count", "thread_id")
        .values_list("thread", flat=True)
        .first()
    )
    users = get_user_model()
    if (
        thread is None
        or users.objects.filter(username__startswith="demo-donor-").exists()
    ):
        return DemoSupporters(0)
    first = Comment.objects.select_related("thread__page").filter(thread=thread).first()
    assert first is not None  # noqa: S101 (the thread has comments)
    supporters.forget_supporters()
    publish = DiscussionSettings(moderation=ModerationPolicy.PUBLISH, max_links=3)
    taken: set[str] = set()
    made = 0
    for n, (name, badge, body) in enumerate(READERS):
        email = _address_with(badge, taken)
        if email is None:
            continue
        taken.add(email)
        first_name, last_name = name.split(" ", 1)
        user = users.objects.create_user(
            username=f"demo-donor-{n}",
            email=email,
            password=None,
            first_name=first_name,
            last_name=last_name,
        )
        services.post_comment(
            Submission(
                thread=first.thread,
                state=policies.OPEN,
                rules=publish,
                viewer=Viewer(user_id=user.pk),
                user=user,
                body=body,
                throttle=False,
            )
        )
        made += 1
    return DemoSupporters(made)
