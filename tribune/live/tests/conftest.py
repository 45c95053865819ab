"""Real `tribune live` processes on the test database, and a small SSE client."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tribune.core.testing import free_port

ROOT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    """The test database as a URL another process can open."""
    from django.db import connection

    db = connection.settings_dict
    if "sqlite" in db["ENGINE"]:
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@dataclass
class LiveProcess:
    """`python -m tribune live` on a free port; stop() and start() again."""

    port: int
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "tribune",
            "live",
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"tribune live exited ({self.process.returncode})")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/live/health")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("tribune live did not start")

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
            self.process = None


@pytest.fixture
def start_live(transactional_db: Any) -> Iterator[Callable[..., LiveProcess]]:
    """Start live processes on this test's database (with REDIS_URL when given)."""
    started: list[LiveProcess] = []

    def start(redis_url: str = "", **extra: str) -> LiveProcess:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="tribune.config.settings.test",
            DATABASE_URL=database_url(),
            PYTHONPATH=str(ROOT),
            **extra,
        )
        if redis_url:
            env["REDIS_URL"] = redis_url
        live = LiveProcess(free_port(), env)
        live.start()
        started.append(live)
        return live

    yield start
    for live in started:
        live.stop()


@dataclass
class Stream:
    """An open event stream read frame by frame."""

    response: http.client.HTTPResponse
    buffer: list[str] = field(default_factory=list)

    def next_event(self, timeout: float = 5.0) -> dict[str, Any]:
        """The next event (comments and heartbeats skipped) as id, kind, payload."""
        self.response.fp.raw._sock.settimeout(timeout)  # type: ignore[union-attr]
        event: dict[str, Any] = {}
        while True:
            line = self.response.fp.readline().decode()
            if not line:
                raise EOFError("stream closed")
            line = line.rstrip("\n")
            if not line:
                if "kind" in event:
                    return event
                continue
            name, _, value = line.partition(": ")
            if name == "id":
                event["id"] = int(value)
            elif name == "event":
                event["kind"] = value
            elif name == "data":
                event["payload"] = json.loads(value)


def open_stream(base: str, page_id: int, **headers: str) -> Stream:
    """Open /live/stream/<page_id>/ and read up to its `ready` event."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", f"/live/stream/{page_id}/", headers=headers)
    response = conn.getresponse()
    assert response.status == 200, response.status
    stream = Stream(response)
    assert stream.next_event()["kind"] == "ready"
    return stream
