"""Discussion test defaults: an empty cache and no minimum form fill time."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _discussion_defaults(settings: Any) -> None:
    cache.clear()
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
