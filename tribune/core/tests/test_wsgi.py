"""The web server's copy of the process environment never reaches a request."""

from __future__ import annotations

from typing import Any

import pytest

from tribune.core.wsgi import without_process_environment


def _seen_by_the_app(environ: dict[str, Any]) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(environ)
        return [b""]

    wrapped = without_process_environment(app)
    wrapped(environ, lambda *args: None)
    return seen


def test_the_process_secrets_copied_into_the_environ_are_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://tribune:hunter2@db/tribune")
    monkeypatch.setenv("SECRET_KEY", "not-for-readers")
    # granian builds each request's environ as a copy of os.environ | the request.
    import os

    server_environ = dict(os.environ) | {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "HTTP_HOST": "news.example.org",
    }
    seen = _seen_by_the_app(server_environ)
    assert "DATABASE_URL" not in seen
    assert "SECRET_KEY" not in seen
    assert seen["PATH_INFO"] == "/"
    assert seen["HTTP_HOST"] == "news.example.org"


def test_a_request_value_under_the_same_name_stays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A request's Proxy header arrives as HTTP_PROXY; the process's own is gone.
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("CONTENT_TYPE", "text/plain")
    seen = _seen_by_the_app(
        {
            "HTTP_PROXY": "sent-by-the-reader",
            "CONTENT_TYPE": "application/json",
            "PATH_INFO": "/",
        }
    )
    assert seen["HTTP_PROXY"] == "sent-by-the-reader"
    assert seen["CONTENT_TYPE"] == "application/json"
    # ...and where the request sent none, the process's copy does not show.
    assert "HTTP_PROXY" not in _seen_by_the_app(
        {"HTTP_PROXY": "http://proxy.internal:3128", "PATH_INFO": "/"}
    )
