"""Factories for the newsletter: subscribers go through the services."""

from __future__ import annotations

import itertools
from typing import Any

from tribune.newsletter import services
from tribune.newsletter.models import Subscriber

_counter = itertools.count(1)


def subscriber(email: str = "", **fields: Any) -> Subscriber:
    """A confirmed subscriber of every report, as each is published."""
    return services.subscribe(
        email=email or f"reader{next(_counter)}@example.org", **fields
    )
