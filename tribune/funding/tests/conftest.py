"""Funding test fixtures: an empty cache, provider test secrets."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from tribune.funding.tests import stripe_events
from tribune.mailing.tests.conftest import (  # noqa: F401 (fixtures)
    run_worker,
    smtp_server,
    smtp_settings,
)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stripe_keys(settings: Any) -> Any:
    settings.STRIPE_SECRET_KEY = "sk_test_only"
    settings.STRIPE_WEBHOOK_SECRET = stripe_events.SECRET
    return settings
