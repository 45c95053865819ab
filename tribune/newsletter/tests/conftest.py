"""Newsletter fixtures: absolute links on an https site, as in production."""

from __future__ import annotations

from typing import Any

import pytest

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _site_address(settings: Any) -> None:
    settings.WAGTAILADMIN_BASE_URL = SITE
