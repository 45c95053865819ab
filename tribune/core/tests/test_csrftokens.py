"""Page-cache hits' CSRF tokens are Django's: its middleware accepts them."""

from __future__ import annotations

from collections import Counter

from django.http import HttpRequest
from django.middleware.csrf import (  # type: ignore[attr-defined]  # not in the stubs
    CSRF_ALLOWED_CHARS,
    _does_token_match,
    _unmask_cipher_token,
)

from tribune.core.csrftokens import get_token, random_chars


def test_a_reader_without_a_secret_gets_one_and_a_token_for_it() -> None:
    request = HttpRequest()
    token = get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert len(secret) == 32 and len(token) == 64
    assert set(secret + token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    assert _does_token_match(token, secret)


def test_a_reader_with_a_secret_keeps_it_and_each_token_is_masked_afresh() -> None:
    request = HttpRequest()
    request.META["CSRF_COOKIE"] = "a" * 16 + "Z9" * 8
    first, second = get_token(request), get_token(request)
    assert request.META["CSRF_COOKIE"] == "a" * 16 + "Z9" * 8
    assert first != second
    assert _does_token_match(first, "a" * 16 + "Z9" * 8)
    assert _does_token_match(second, "a" * 16 + "Z9" * 8)


def test_every_character_is_drawn_evenly() -> None:
    # 62 characters from 248 of the 256 byte values, four each: a bias (say, the
    # 8 top bytes folded onto the first characters) shows as 25% more of those.
    counts = Counter(random_chars(620_000))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 10_000
    chi_square = sum((n - expected) ** 2 / expected for n in counts.values())
    # 61 degrees of freedom: the 1e-6 tail starts near 130; a fold of the 8
    # dropped bytes onto 8 characters gives about 4,000.
    assert chi_square < 130, counts.most_common(5)
