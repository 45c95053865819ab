"""Subscriptions test defaults, and mailing's real SMTP server and worker fixtures."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from tribune.mailing.tests.conftest import (  # noqa: F401 (fixtures)
    run_worker,
    smtp_server,
    smtp_settings,
)


@pytest.fixture(autouse=True)
def _subscriptions_defaults(settings: Any) -> None:
    cache.clear()
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    # List-Unsubscribe needs an https URL (RFC 8058); links are built from it.
    settings.WAGTAILADMIN_BASE_URL = "https://news.example.org"
