"""Factories for discussion data; comments go through the services like real ones."""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from django.contrib.auth import get_user_model

from tribune.core import clock
from tribune.discussion import policies, services
from tribune.discussion.identity import Viewer
from tribune.discussion.models import (
    Comment,
    DiscussionSettings,
    ModerationPolicy,
    Thread,
)
from tribune.discussion.submission import Guest, Submission
from tribune.newsroom.models import DiscussedPage
from tribune.newsroom.tests import factories as newsroom

_counter = itertools.count(1)


def rules(**fields: Any) -> DiscussionSettings:
    """The default site's discussion settings, published at once unless overridden."""
    home = newsroom.home_page()
    site = home.get_site()
    settings = DiscussionSettings.for_site(site)
    fields.setdefault("moderation", ModerationPolicy.PUBLISH)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def thread(page: DiscussedPage | None = None) -> Thread:
    return services.get_or_create_thread(article=page or newsroom.article())


def bulk_comments(
    page: DiscussedPage, count: int, *, markdown: str = "Some *text*."
) -> Thread:
    """`count` approved comments written at once (the services would take minutes
    at 10,000), every third a reply to an earlier top-level one; the thread's
    stored count follows."""
    from django.db import transaction
    from django.db.models import F

    from tribune.discussion import rendering

    target = thread(page)
    html = rendering.render_markdown(markdown)
    now = clock.now()

    def row(i: int, parent: Comment | None = None) -> Comment:
        return Comment(
            thread=target,
            parent=parent,
            root=parent,
            depth=1 if parent else 0,
            status="approved",
            author_name=f"Reader {i}",
            author_email=f"reader{i}@example.org",
            body_markdown=markdown,
            body_html=html,
            created_at=now,
        )

    n_roots = count - count // 3
    with transaction.atomic():
        roots = Comment.objects.bulk_create(
            [row(i) for i in range(n_roots)], batch_size=500
        )
        Comment.objects.bulk_create(
            [
                row(n_roots + i, roots[(i * 7) % n_roots])
                for i in range(count - n_roots)
            ],
            batch_size=500,
        )
        Thread.objects.filter(pk=target.pk).update(
            comment_count=F("comment_count") + count
        )
    return target


def guest_viewer(*, age_hours: float | None = None) -> Viewer:
    """A guest; with `age_hours`, one whose browser cookie is that old."""
    since = None
    if age_hours is not None:
        since = clock.now().timestamp() - age_hours * 3600
    return Viewer(guest_token=secrets.token_hex(16), guest_since=since)


def user(**fields: Any) -> Any:
    n = next(_counter)
    fields.setdefault("username", f"reader{n}")
    fields.setdefault("email", f"reader{n}@example.org")
    return get_user_model().objects.create_user(password="pw-for-tests-1", **fields)


def comment(
    *,
    in_thread: Thread | None = None,
    parent: Comment | None = None,
    body: str = "",
    name: str = "",
    viewer: Viewer | None = None,
    settings: DiscussionSettings | None = None,
    **kwargs: Any,
) -> Comment:
    """An approved guest comment (unless the settings hold it)."""
    n = next(_counter)
    target = in_thread or (parent.thread if parent else thread())
    return services.post_comment(
        Submission(
            thread=target,
            state=policies.OPEN,
            rules=settings or rules(),
            viewer=viewer or guest_viewer(),
            body=body or f"Comment number {n}.",
            guest=Guest(name=name or f"Guest {n}", email=f"guest{n}@example.org"),
            parent_id=parent.pk if parent else None,
            throttle=False,
            **kwargs,
        )
    )
