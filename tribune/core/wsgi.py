"""What every request's WSGI environ is cleaned of before Django sees it.

granian, the web server of `tribune serve` (decision 0032), starts each request's
environ from a copy of the server process's environment, as CGI did: SECRET_KEY,
DATABASE_URL, REDIS_URL, the payment providers' keys and the mail password would
all be in `request.META`, where error reports, debug pages and any code that logs
META would show them. Django reads its settings from the process, never from a
request, so the copy is dropped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


# Names a server sets per request (CGI's and the headers): if the process has one
# too, the request's value stays; only an unchanged copy is dropped.
_PER_REQUEST = {
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "REMOTE_USER",
}


def without_process_environment(app: WSGIApp) -> WSGIApp:
    """`app`, called with an environ that holds none of this process's variables
    (those the server copied in unchanged; a request's own values stay)."""
    names = [
        name
        for name in os.environ
        if name not in _PER_REQUEST and not name.startswith("HTTP_")
    ]
    compared = [
        (name, value)
        for name, value in os.environ.items()
        if name in _PER_REQUEST or name.startswith("HTTP_")
    ]

    def application(
        environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        for name in names:
            environ.pop(name, None)
        for name, value in compared:
            if environ.get(name) == value:
                del environ[name]
        return app(environ, start_response)

    return application
