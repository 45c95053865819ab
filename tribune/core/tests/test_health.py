"""/healthz and /readyz: what a load balancer sees when a part of the site is away."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tribune.core.testing import free_port

pytestmark = pytest.mark.django_db


def _closed_port_url() -> str:
    """A Redis URL where nothing listens."""
    return f"redis://127.0.0.1:{free_port()}/0"


@contextmanager
def database_down() -> Iterator[None]:
    """Every query fails as it does when the database server is gone."""

    def refuse(*args: Any) -> None:
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        yield


def test_healthz_touches_neither_the_database_nor_the_cache(
    settings: Any, django_assert_max_num_queries: Any
) -> None:
    # A plain RedisCache raises on any use: the probe must not reach it.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _closed_port_url(),
        },
    }
    settings.PAGECACHE_SECONDS = 60  # the page cache would read the cache first
    client = Client(raise_request_exception=False)
    with database_down(), django_assert_max_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert response["Cache-Control"] == "no-store"


def test_readyz_names_each_part_when_all_is_well(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "queue": "ok",
    }


def test_readyz_stays_ready_but_names_a_cache_and_queue_that_are_away(
    settings: Any,
) -> None:
    url = _closed_port_url()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "tribune.core.cache.ResilientRedisCache",
            "LOCATION": url,
        },
    }
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    }
    settings.RQ_QUEUES = {"default": {"URL": url}}
    response = Client(raise_request_exception=False).get("/readyz")
    assert response.status_code == 200  # pages are still served, uncached
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "down",
        "queue": "down",
    }


def test_readyz_answers_503_while_the_database_is_away() -> None:
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == "down"
    assert body["queue"] == "down"  # the database queue lives in the database


def test_probes_answer_only_get(client: Client) -> None:
    response = client.post("/readyz")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
