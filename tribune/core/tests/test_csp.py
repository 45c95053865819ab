"""The CSP header: django-csp's policy, built once per process."""

from __future__ import annotations

import re

import pytest
from csp.utils import build_policy
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings

from tribune.core.csp import CSPMiddleware

pytestmark = pytest.mark.django_db


def _parsed(header: str) -> dict[str, str]:
    found = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            found[name] = value
    return found


def test_a_page_without_a_nonce_gets_django_csps_policy(client: Client) -> None:
    response = client.get("/robots.txt")
    assert _parsed(response["Content-Security-Policy"]) == _parsed(build_policy())
    assert "nonce-" not in response["Content-Security-Policy"]


def _page_with_nonce(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')


def test_every_response_that_used_a_nonce_gets_its_own() -> None:
    middleware = CSPMiddleware(_page_with_nonce)
    seen = set()
    for _ in range(2):
        request = RequestFactory().get("/")
        middleware.process_request(request)
        response = middleware.process_response(request, _page_with_nonce(request))
        header = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", header)[1]
        assert f'nonce="{nonce}"'.encode() in response.content
        assert _parsed(header) == _parsed(build_policy(nonce=nonce))
        seen.add(nonce)
    assert len(seen) == 2


def test_a_view_that_changes_the_policy_keeps_its_change(client: Client) -> None:
    assert (
        "frame-ancestors *" in client.get("/support/embed/")["Content-Security-Policy"]
    )


def test_a_changed_setting_is_followed(client: Client) -> None:
    client.get("/robots.txt")  # the texts are built
    with override_settings(
        CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}},
        CONTENT_SECURITY_POLICY_REPORT_ONLY={"DIRECTIVES": {"img-src": ["'self'"]}},
    ):
        response = client.get("/robots.txt")
        assert response["Content-Security-Policy"] == "default-src 'none'"
        report_only = response["Content-Security-Policy-Report-Only"]
        assert _parsed(report_only) == _parsed(build_policy(report_only=True))
        assert "img-src 'self'" in report_only
    assert "default-src 'self'" in client.get("/robots.txt")["Content-Security-Policy"]
