"""Fixtures every app's tests may use: a site, a browser, and the Django test server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would then
# refuse ORM calls from tests that also drive a browser.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """Start every test with empty caches.

    Transactional tests flush the database, which gives content types new ids and
    empties Wagtail's tree; cached copies of either would then point at nothing.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    caches["default"].clear()
    caches["local"].clear()
    caches["renditions"].clear()  # what it remembers having written, too
    ContentType.objects.clear_cache()


@pytest.fixture
def home(db: Any) -> Any:
    from tribune.newsroom.tests import factories

    return factories.home_page()


@pytest.fixture
def supported_report(home: Any) -> Any:
    """A report whose site shows a support panel above and below it and whose
    body holds another: three goal bars (for funding tests, which may not import
    the newsroom)."""
    from tribune.newsroom.models import NewsroomSettings, SupportPanel
    from tribune.newsroom.tests import factories

    panel = SupportPanel.objects.create(name="P", heading="Help", text="<p>x</p>")
    settings = NewsroomSettings.for_site(home.get_site())
    settings.support_panel = panel
    settings.save()
    return factories.article(body=[("support", {"panel": None})])


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright; CI fails rather than skips without it.

    Function-scoped on purpose: Playwright's sync API leaves an event loop running,
    and Django then hands out fresh connection objects that have lost the test
    database's serialized contents, so the next test could not restore them.
    """
    if not shutil.which(CHROMIUM) and not os.environ.get("CI"):
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def redis_cache(tmp_path: Any, settings: Any) -> Iterator[Any]:
    """A private redis-server as the shared cache, configured as base.py does;
    the test may stop, pause and start it (core.testing.RedisServer)."""
    from tribune.core.testing import REDIS_RETRY_SECONDS, RedisServer

    if not shutil.which("redis-server") and not os.environ.get("CI"):
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "tribune.core.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "tribune",
            "OPTIONS": {
                "socket_connect_timeout": 0.3,
                "socket_timeout": 0.3,
                "RETRY_SECONDS": REDIS_RETRY_SECONDS,
            },
        },
    }
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser tab; console errors are collected on `page.errors`."""
    context = browser.new_context()
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    context.close()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """SQLite test databases live in a file, not in memory.

    Worker subprocesses (tribune/mailing/tests/test_worker.py) must open
    the same database as the test, and threads racing on it get SQLite's busy
    timeout instead of shared-cache "table is locked" errors.
    """
    from django.conf import settings

    for alias, db in settings.DATABASES.items():
        test = db.setdefault("TEST", {})
        # Always: the parallel suffix above names only Django's own SQLite engine
        # right, and each xdist worker has its own temporary folder anyway.
        if "sqlite" in db["ENGINE"]:
            test["NAME"] = str(tmp_path_factory.mktemp("db") / f"test_{alias}.sqlite3")


# A loopback SMTP server (`smtp_server`, `smtp_settings`) and the database task
# worker (`run_worker`) for any app whose tests deliver mail.
from tribune.mailing.tests.conftest import (  # noqa: E402
    run_worker,  # noqa: F401
    smtp_server,  # noqa: F401
    smtp_settings,  # noqa: F401
)
