"""The one place that asks what time it is, so tests can freeze it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current aware datetime."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in the site's time zone."""
    return timezone.localdate()
