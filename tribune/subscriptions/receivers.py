"""Receivers of other apps' signals; connected in SubscriptionsConfig.ready()."""

from __future__ import annotations

import logging
from typing import Any

from tribune.core import generations
from tribune.discussion.models import Comment
from tribune.subscriptions import announcements, selectors, services

logger = logging.getLogger(__name__)


def comment_became_visible(sender: Any, *, comment: Comment, **kwargs: Any) -> None:
    """Hand the notification fan-out to the worker; the request sends nothing."""
    announcements.announce_comment(comment=comment)


def comment_posted(
    sender: Any, *, comment: Comment, notify: str, **kwargs: Any
) -> None:
    """Subscribe the author as ticked on the comment form."""
    try:
        services.subscribe_author(comment=comment, notify=notify)
    except services.SubscriptionError as error:
        logger.info("no subscription for comment %s: %s", comment.pk, error.message)


def subscription_changed(sender: Any, **kwargs: Any) -> None:
    """Any save or delete of a subscription retires the remembered answers."""
    generations.bump(selectors.GENERATION)


def address_erased(sender: Any, *, email: str, **kwargs: Any) -> None:
    """mailing.erase_address forgets an address: forget its subscriptions too."""
    services.erase_subscriptions(email=email)
