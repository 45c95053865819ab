"""Factories for subscriptions; everything goes through the services."""

from __future__ import annotations

import itertools
from typing import Any

from tribune.discussion import policies
from tribune.discussion import services as discussion
from tribune.discussion.models import Comment, DiscussionSettings, Thread
from tribune.discussion.submission import Guest, Submission
from tribune.discussion.tests import factories as discussion_factories
from tribune.subscriptions import services
from tribune.subscriptions.models import Delivery, Scope, Subscription

_counter = itertools.count(1)


def post(
    *,
    thread: Thread,
    email: str = "",
    name: str = "",
    parent: Comment | None = None,
    body: str = "",
    rules: DiscussionSettings | None = None,
    **kwargs: Any,
) -> Comment:
    """A guest's comment through the discussion service (approved unless held)."""
    n = next(_counter)
    return discussion.post_comment(
        Submission(
            thread=thread,
            state=policies.OPEN,
            rules=rules or discussion_factories.rules(),
            viewer=discussion_factories.guest_viewer(),
            body=body or f"Follow-up number {n}.",
            guest=Guest(
                name=name or f"Guest {n}", email=email or f"guest{n}@example.org"
            ),
            parent_id=parent.pk if parent else None,
            throttle=False,
            **kwargs,
        )
    )


def confirmed(
    *,
    email: str,
    scope: str = Scope.THREAD,
    delivery: str = Delivery.INSTANT,
    **target: Any,
) -> Subscription:
    """A guest subscription that its address has confirmed."""
    subscription = services.subscribe(
        email=email, scope=scope, delivery=delivery, **target
    )
    services.confirm_address(email=email)
    subscription.refresh_from_db()
    return subscription
