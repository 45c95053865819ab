"""The one rate limiter, on each cache the site runs with."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from tribune.core import ratelimit

REDIS = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_location(tmp_path: Path) -> Iterator[str]:
    if REDIS is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    args = ["--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    args += ["--appendonly", "no", "--dir", str(tmp_path)]
    server = subprocess.Popen([REDIS, *args], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/3"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(params=["locmem", "file", "redis"])
def backend(request: Any, settings: Any, tmp_path: Path) -> str:
    if request.param == "locmem":
        default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    elif request.param == "file":
        default = {
            "BACKEND": "tribune.core.filecache.SharedFileCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    else:
        default = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": request.getfixturevalue("redis_location"),
        }
    settings.CACHES = {**settings.CACHES, "default": default}
    cache.clear()
    return str(request.param)


def test_counts_up_to_the_limit_then_refuses(backend: str) -> None:
    with time_machine.travel("2026-12-01 10:00:05Z", tick=False):
        got = [ratelimit.hit(scope="t", key="k", limit=3, window=60) for _ in range(5)]
        assert got == [True, True, True, False, False]
        # The refused tries were counted too (5 so far): the sixth event is the
        # last one a limit of 6 lets through.
        assert ratelimit.hit(scope="t", key="k", limit=6, window=60)
        assert not ratelimit.hit(scope="t", key="k", limit=6, window=60)
        assert ratelimit.hit(scope="t", key="other", limit=3, window=60)
        assert ratelimit.hit(scope="u", key="k", limit=3, window=60)


def test_a_new_window_starts_from_zero(backend: str) -> None:
    with time_machine.travel("2026-12-01 10:00:05Z", tick=False) as traveller:
        for _ in range(3):
            ratelimit.hit(scope="t", key="k", limit=2, window=60)
        assert not ratelimit.hit(scope="t", key="k", limit=2, window=60)
        traveller.shift(dt.timedelta(seconds=60))
        assert ratelimit.hit(scope="t", key="k", limit=2, window=60)


def test_unknown_clients_and_switched_off_limits_always_pass() -> None:
    assert all(ratelimit.hit(scope="t", key=None, limit=1, window=60) for _ in range(3))
    assert all(ratelimit.hit(scope="t", key="k", limit=0, window=60) for _ in range(3))


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::ffff", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("not an address", None),
        (None, None),
    ],
)
def test_client_key_groups_ipv6_by_64(ip: str | None, key: str | None) -> None:
    assert ratelimit.client_key(ip) == key


def test_client_keys_of_short_addresses_are_remembered() -> None:
    ratelimit._network.cache_clear()
    assert ratelimit.client_key("198.51.100.8") == "198.51.100.8"
    assert ratelimit.client_key("198.51.100.8") == "198.51.100.8"
    assert ratelimit._network.cache_info().hits == 1
    # A client may send anything: a long header is parsed, never kept.
    assert ratelimit.client_key("1" * 10_000) is None
    assert ratelimit._network.cache_info().currsize == 1
