"""What one page-cache hit costs in-process, with and without gzip.

Calls Django's WSGI handler directly (no server, no test client) for one page,
warms it, then times 1,000 hits five times and prints the best, in microseconds
of process time per hit, with the answer's size and its X-Page-Cache.

Run against a state folder that has the demo (`tribune demo` and `tribune
collectstatic` with the same settings):
    export TRIBUNE_VAR_DIR=... SECRET_KEY=x
    export DJANGO_SETTINGS_MODULE=tribune.config.settings.bench
    PYTHONPATH=. .venv/bin/python bench/pagecache_hit.py /town-hall/<report>/ \\
        [--cookie "tribune_js=1"] [--gzip]
"""

import argparse
import io
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.bench")

import django

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--cookie", default="")
    parser.add_argument("--gzip", action="store_true")
    args = parser.parse_args()
    app = WSGIHandler()
    seen: dict[str, list[tuple[str, str]]] = {}

    def environ() -> dict[str, object]:
        env: dict[str, object] = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": args.path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        if args.cookie:
            env["HTTP_COOKIE"] = args.cookie
        if args.gzip:
            env["HTTP_ACCEPT_ENCODING"] = "gzip, deflate, br"
        return env

    def start(status: str, headers: list[tuple[str, str]], exc: object = None) -> None:
        seen["headers"] = headers

    for _ in range(20):
        body = b"".join(app(environ(), start))
    cache = dict(seen["headers"]).get("X-Page-Cache")
    best = float("inf")
    for _ in range(5):
        began = time.process_time()
        for _ in range(1000):
            b"".join(app(environ(), start))
        best = min(best, time.process_time() - began)
    print(f"X-Page-Cache {cache}, {len(body)} bytes, {best * 1000:.1f} us per hit")


if __name__ == "__main__":
    main()
