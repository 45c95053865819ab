"""Addresses are compared in one form; one-click unsubscribe needs https."""

from __future__ import annotations

import pytest

from tribune.mailing.addresses import normalize_address, unsubscribe_headers


def test_addresses_are_trimmed_and_lower_cased() -> None:
    assert normalize_address("  Reader@Example.ORG ") == "reader@example.org"


def test_unsubscribe_headers_follow_rfc_8058() -> None:
    headers = unsubscribe_headers("https://news.example.org/u/abc/")
    assert headers == {
        "List-Unsubscribe": "<https://news.example.org/u/abc/>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def test_plain_http_is_allowed_on_loopback_only() -> None:
    assert unsubscribe_headers("http://127.0.0.1:8000/u/abc/")
    with pytest.raises(ValueError, match="https"):
        unsubscribe_headers("http://news.example.org/u/abc/")


@pytest.mark.parametrize("url", ["mailto:leave@example.org", "/u/abc/", "https://"])
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="https"):
        unsubscribe_headers(url)
