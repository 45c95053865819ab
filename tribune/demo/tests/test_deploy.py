"""deploy/ for real: nginx from deploy/nginx/tribune.conf in front of two web nodes.

Two `tribune serve` processes share one database (PostgreSQL when DATABASE_URL is
set, else one SQLite file) and one cache (Redis when REDIS_URL is set, else the
file cache); nginx runs the shipped site file with only addresses, paths and the
certificate swapped. A comment posted through the proxy must show at once, on
both nodes, to its poster and to anonymous readers.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from tribune.core.testing import SHIPPED_NGINX_SITE, nginx_conf, swap
from tribune.discussion.tests import factories as discussion
from tribune.newsroom.tests import factories as newsroom

ROOT = Path(__file__).resolve().parents[3]
SITE = SHIPPED_NGINX_SITE
NGINX = "/usr/sbin/nginx"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(NGINX).exists() and not os.environ.get("CI"),
        reason="nginx is not installed (apt-get install nginx)",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def nginx_config(
    *, prefix: Path, https: int, http: int, nodes: list[int], var: Path
) -> str:
    """The shipped site file on loopback ports and temp paths, in a whole nginx.conf."""
    site = SITE.read_text()
    site = swap(site, "server 10.0.0.11:8000", f"server 127.0.0.1:{nodes[0]}")
    site = swap(site, "server 10.0.0.12:8000", f"server 127.0.0.1:{nodes[1]}")
    site = swap(site, "/var/cache/nginx/tribune", str(prefix / "cache"))
    site = swap(site, "/var/log/nginx/", f"{prefix}/")
    site = swap(site, "/srv/tribune/var/", f"{var}/")
    site = swap(site, "/etc/letsencrypt/live/news.example.org/", f"{prefix}/")
    site = swap(site, "listen 443 ssl", f"listen 127.0.0.1:{https} ssl")
    site = swap(site, "listen 80;", f"listen 127.0.0.1:{http};")
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)
    return nginx_conf(site, prefix)


@dataclass
class Site:
    base: str
    nodes: list[str]
    article: str
    page_id: int


def _request(
    url: str, method: str = "GET", body: bytes | None = None, **headers: str
) -> tuple[int, http.client.HTTPMessage, bytes]:
    parts = urlsplit(url)
    if parts.scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=30, context=context
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        conn.request(
            method,
            parts.path + (f"?{parts.query}" if parts.query else ""),
            body=body,
            headers=headers,
        )
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"{process.args} stopped:\n{out[-3000:]}")
        try:
            if _request(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {seconds} s")


def _shared_database(tmp: Path) -> str:
    """A DATABASE_URL for the nodes that reaches what this test wrote."""
    if connection.vendor == "sqlite":
        # The test database lives in this process's memory: copy it to a file.
        path = tmp / "shared.sqlite3"
        target = sqlite3.connect(path)
        try:
            connection.ensure_connection()
            connection.connection.backup(target)
        finally:
            target.close()
        return f"sqlite:///{path}"
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    discussion.rules()
    article = newsroom.article(title="Deploy check")
    discussion.thread(article)

    var = tmp_path / "var"
    (var / "media").mkdir(parents=True)
    (var / "media" / "hello.txt").write_text("uploaded")
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="tribune.config.settings.bench",
        SECRET_KEY="deploy-test-only",
        TRIBUNE_VAR_DIR=str(var),
        DATABASE_URL=_shared_database(tmp_path),
        TRUSTED_PROXIES="127.0.0.1",
        WEB_CONCURRENCY="1",
        TRIBUNE_ACCESS_LOG="off",
        DISCUSSION_MIN_FILL_SECONDS="0",
        PYTHONPATH=str(ROOT),
    )
    tribune = [sys.executable, "-m", "tribune"]
    subprocess.run(
        [*tribune, "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=environ,
        check=True,
        timeout=300,
    )
    ports = [_free_port(), _free_port()]
    https, plain = _free_port(), _free_port()
    processes: list[subprocess.Popen[bytes]] = []
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    try:
        if os.environ.get("REDIS_URL"):
            # A private Redis: the nodes' task queue stays out of other tests' way.
            redis_port = _free_port()
            processes.append(
                subprocess.Popen(
                    [
                        "redis-server",
                        "--port",
                        str(redis_port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        str(tmp_path),
                    ],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            environ["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(prefix / "privkey.pem"),
                "-out",
                str(prefix / "fullchain.pem"),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        conf = prefix / "nginx.conf"
        conf.write_text(
            nginx_config(prefix=prefix, https=https, http=plain, nodes=ports, var=var)
        )
        check = subprocess.run(
            [NGINX, "-t", "-p", str(prefix), "-c", str(conf)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, check.stderr
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [*tribune, "serve"],
                    cwd=ROOT,
                    env=environ | {"TRIBUNE_BIND": f"127.0.0.1:{port}"},
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        processes.append(
            subprocess.Popen(
                [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        nodes = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(nodes, processes[-3:-1], strict=True):
            _wait_for(url + "/healthz", process, 180)
        base = f"https://127.0.0.1:{https}"
        _wait_for(base + "/healthz", processes[-1], 30)
        yield Site(
            base=base,
            nodes=[*nodes, f"http://127.0.0.1:{plain}"],
            article=article.url,
            page_id=article.pk,
        )
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                output = process.communicate(timeout=30)[0].decode()
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                output = process.communicate()[0].decode()
            assert "Traceback" not in output, output
        shutil.rmtree(prefix / "cache", ignore_errors=True)


def _cookies(headers: http.client.HTTPMessage) -> dict[str, str]:
    found = {}
    for line in headers.get_all("Set-Cookie") or []:
        name, _, rest = line.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def _check_comment_shows_at_once(site: Site) -> None:
    # Anonymous readers first, so that both nodes keep the page in their page cache.
    for _ in range(4):
        status, headers, _ = _request(site.base + site.article)
        assert status == 200
    status, headers, html = _request(site.base + site.article)
    csrf = _cookies(headers)["csrftoken"]
    started = re.search(rb'name="started" value="([^"]+)"', html)
    assert started

    body = "Seen at once through nginx."
    payload = {
        "body": body,
        "name": "Poster",
        "email": "poster@example.org",
        "website": "",
        "parent": None,
        "key": "deploy-check-1",
        "started": started.group(1).decode(),
        "nickname": "",
    }
    status, headers, answer = _request(
        f"{site.base}/api/threads/{site.page_id}/comments",
        "POST",
        json.dumps(payload).encode(),
        **{
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Cookie": f"csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Origin": site.base,
            "Referer": site.base + site.article,
        },
    )
    assert status == 201, answer[:500]
    guest = _cookies(headers)["tribune_guest"]

    # The poster (guest cookie: no micro-cache) and a new anonymous reader, several
    # times so that both nodes answer.
    for cookie in (f"csrftoken={csrf}; tribune_guest={guest}", ""):
        for _ in range(4):
            status, headers, html = _request(
                site.base + site.article, **({"Cookie": cookie} if cookie else {})
            )
            assert status == 200
            assert body.encode() in html, f"comment missing (cookie {cookie!r})"
            if cookie:
                assert headers["X-Micro-Cache"] == "BYPASS"
    for node in site.nodes[:2]:
        assert body.encode() in _request(node + site.article)[2]


def _check_micro_cache(site: Site) -> None:
    statuses = []
    for _ in range(3):
        status, headers, _ = _request(site.base + "/")
        assert status == 200
        statuses.append(headers["X-Micro-Cache"])
    assert "HIT" in statuses[1:], statuses
    # An article page sets the reader's CSRF cookie: nginx never stores it.
    _, headers, _ = _request(site.base + site.article)
    assert "csrftoken" in _cookies(headers)
    assert headers["X-Micro-Cache"] in {"MISS", "EXPIRED"}
    _, headers, _ = _request(site.base + "/", Cookie="sessionid=abc")
    assert headers["X-Micro-Cache"] == "BYPASS"


def _check_shared_copy(site: Site) -> None:
    """Readers whose script runs share one copy through the micro-cache, whoever
    they are; staff and readers without the script never get it (decision 0024)."""
    for _ in range(4):  # both nodes keep the anonymous copy
        _request(site.base + site.article)
    readers = [
        "tribune_js=1",
        "tribune_js=1; tribune_guest=someone; csrftoken=abc",
        "tribune_js=1; sessionid=abc",
    ]
    answers = [_request(site.base + site.article, Cookie=c) for c in readers * 2]
    assert {status for status, _, _ in answers} == {200}
    assert len({html for _, _, html in answers}) == 1
    assert all(not headers.get_all("Set-Cookie") for _, headers, _ in answers)
    assert "HIT" in [headers["X-Micro-Cache"] for _, headers, _ in answers[1:]]
    assert b'name="csrfmiddlewaretoken" value=""' in answers[0][2]
    for cookie in ("tribune_js=1; tribune_staff=1", "tribune_guest=someone"):
        _, headers, _ = _request(site.base + site.article, Cookie=cookie)
        assert headers["X-Micro-Cache"] == "BYPASS"
    _, headers, _ = _request(
        f"{site.base}/api/threads/{site.page_id}/me", Cookie="tribune_js=1"
    )
    assert headers["X-Micro-Cache"] == "BYPASS"
    assert headers["Cache-Control"] == "private, no-store"


def _check_static_media_and_redirect(site: Site) -> None:
    _, _, html = _request(site.base + "/")
    css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert css
    status, headers, _ = _request(site.base + css.group(1).decode())
    assert status == 200
    assert headers["Server"].startswith("nginx")
    assert "immutable" in headers["Cache-Control"]
    status, headers, content = _request(site.base + "/media/hello.txt")
    assert (status, content) == (200, b"uploaded")
    status, headers, _ = _request(site.nodes[2] + "/")
    assert status == 301
    assert headers["Location"].startswith("https://")


def test_deploy_site_in_front_of_two_nodes(site: Site) -> None:
    """One stack for all checks: starting it is most of the time."""
    _check_static_media_and_redirect(site)
    _check_micro_cache(site)
    _check_shared_copy(site)
    _check_comment_shows_at_once(site)
