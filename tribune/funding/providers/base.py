"""What every payment provider module offers, and the one way an event is applied.

Each provider (stripe, paypal, patreon) is a module that satisfies `Provider`:
it names itself, says whether its secrets are set, verifies a delivery and
applies the event through `apply_once`, so a replay changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, Protocol

from django.db import transaction

from tribune.funding import services

Outcome = Literal["applied", "replay", "ignored"]
Handler = Callable[[dict[str, Any]], None]


class Provider(Protocol):
    """A payment provider module (`tribune.funding.providers.<name>`)."""

    PROVIDER: str

    def is_configured(self) -> bool:
        """Its secrets are set: events can be verified and applied."""
        ...


def apply_once(
    *,
    provider: str,
    event_id: str,
    event_type: str,
    handlers: Mapping[str, Handler],
    event: dict[str, Any],
) -> Outcome:
    """Apply a verified event once: "applied", "replay" or "ignored" (unknown type).

    Runs in one transaction: the event is marked processed only with its effects,
    so a failure (PayloadError, services.LedgerError) releases it for a retry.
    """
    handler = handlers.get(event_type)
    if handler is None:
        return "ignored"
    with transaction.atomic():
        if not services.claim_event(
            provider=provider, event_id=event_id, event_type=event_type
        ):
            return "replay"
        handler(event)
    return "applied"
