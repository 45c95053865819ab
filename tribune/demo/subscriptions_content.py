"""Demo subscriptions: a few readers following the second demo report."""

from __future__ import annotations

from dataclasses import dataclass

from tribune.discussion import services as discussion
from tribune.newsroom.models import ArticlePage
from tribune.subscriptions import services
from tribune.subscriptions.models import Delivery, Scope, Subscription

# (address, scope, delivery); addresses on example.org never reach anyone.
READERS = [
    ("river.watcher@example.org", Scope.THREAD, Delivery.INSTANT),
    ("morning.reader@example.org", Scope.THREAD, Delivery.DIGEST),
    ("night.owl@example.org", Scope.MY_REPLIES, Delivery.INSTANT),
]


@dataclass
class DemoSubscriptions:
    subscriptions: int


def load() -> DemoSubscriptions:
    """Subscribe the demo readers (already confirmed); later runs change nothing."""
    articles = list(ArticlePage.objects.live().order_by("-date", "pk")[:2])
    if len(articles) < 2:
        return DemoSubscriptions(Subscription.objects.count())
    thread = discussion.get_or_create_thread(article=articles[1])
    for email, scope, delivery in READERS:
        services.import_subscription(
            email=email,
            scope=scope,
            delivery=delivery,
            thread=thread if scope == Scope.THREAD else None,
        )
    return DemoSubscriptions(Subscription.objects.count())
