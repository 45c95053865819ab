"""Factories for mailing tests; outbox rows go through queue_email."""

from __future__ import annotations

import itertools
from typing import Any

import factory

from tribune.mailing import services
from tribune.mailing.addresses import unsubscribe_headers
from tribune.mailing.models import OutboundEmail, Suppression

_counter = itertools.count(1)


class SuppressionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suppression

    email = factory.Sequence(lambda n: f"bounced{n}@example.org")
    reason = Suppression.Reason.BOUNCE


def queued_email(**overrides: Any) -> OutboundEmail:
    """A notification-like message with one-click unsubscribe headers."""
    n = next(_counter)
    fields: dict[str, Any] = {
        "to": f"reader{n}@example.org",
        "subject": f"New reply in the thread on the river bridge ({n})",
        "text": "A new reply:\n\n> The council meets on Tuesday.\n",
        "html": (
            "<p>A new reply:</p><blockquote>The council meets on Tuesday.</blockquote>"
        ),
        "headers": unsubscribe_headers(f"https://news.example.org/unsubscribe/{n}/"),
        "dedupe_key": f"reply:{n}",
    }
    fields.update(overrides)
    return services.queue_email(**fields)
