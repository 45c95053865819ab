"""A tiny HTTP server on loopback that plays a payment provider's API in tests."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = Callable[["Request"], tuple[int, dict[str, Any]]]


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    path_qs: str = ""

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeProvider:
    base_url: str
    routes: dict[str, Route]
    requests: list[Request] = field(default_factory=list)


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[FakeProvider]:
    """Serve `routes` ("POST /v1/path" -> handler) on 127.0.0.1 until the block ends."""
    fake = FakeProvider(base_url="", routes=routes)

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                self.command,
                self.path.split("?")[0],
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
                urllib.parse.unquote(self.path),
            )
            fake.requests.append(request)
            route = fake.routes.get(f"{self.command} {request.path}")
            status, payload = route(request) if route else (404, {"error": "no route"})
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _handle  # noqa: N815 - http.server's names

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
