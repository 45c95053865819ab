"""What funding tells the apps above it, without importing them."""

from __future__ import annotations

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Sent on commit after a ledger write or a donor's badge choice: who supports
# the newsroom, and how, may have changed (the supporters app drops its list).
supporters_changed = Signal()

# Sent after a committed change of what the goal bar shows (a donation, a
# refund, a new goal). No arguments: receivers read the bar themselves.
goal_changed = Signal()


def send_goal_changed() -> None:
    """Tell receivers the bar changed; a failing one is logged, never raised."""
    for receiver, result in goal_changed.send_robust(sender=None):
        if isinstance(result, Exception):
            logger.error("receiver %r failed", receiver, exc_info=result)
