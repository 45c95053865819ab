"""Self-service test defaults, and mailing's real SMTP server and worker fixtures."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tribune.mailing.tests.conftest import (  # noqa: F401 (fixtures)
    run_worker,
    smtp_server,
    smtp_settings,
)
from tribune.selfservice import identity

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _selfservice_defaults(settings: Any) -> None:
    cache.clear()
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    settings.WAGTAILADMIN_BASE_URL = SITE


def proved_client(email: str) -> Client:
    """A browser whose session holds an address proved by a link."""
    client = Client()
    session = client.session
    session[identity.SESSION_KEY] = email
    session.save()
    return client
