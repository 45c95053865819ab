"""CSRF tokens for page-cache hits, as Django makes them, from one read of the
system's random source.

Django's `get_token` draws each of a token's 64 characters with
`secrets.choice`, a system call and several Python calls apiece: about a fifth of
a page-cache hit for a reader without the CSRF cookie (docs/decisions/0035).
This makes the same values (a 32-character secret of CSRF_ALLOWED_CHARS, masked
with a fresh 32-character mask, each character uniform) from one `os.urandom`,
so Django's CSRF middleware checks them unchanged.
"""

from __future__ import annotations

import os

from django.http import HttpRequest
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
)

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: index for index, char in enumerate(_CHARS)}
# 248 = 4 x 62: each byte below maps to one character, every character from
# exactly four bytes, so the characters are uniform; bytes from 248 are dropped.
_USABLE = len(_CHARS) * (256 // len(_CHARS))
_TABLE = bytes(
    ord(_CHARS[byte % len(_CHARS)]) if byte < _USABLE else 0 for byte in range(256)
)
_DROPPED = bytes(range(_USABLE, 256))


def random_chars(count: int) -> str:
    """`count` characters of CSRF_ALLOWED_CHARS, each uniform and independent."""
    chars = b""
    while len(chars) < count:
        chars += os.urandom(count + 16).translate(_TABLE, _DROPPED)
    return chars[:count].decode("ascii")


def get_token(request: HttpRequest) -> str:
    """What `django.middleware.csrf.get_token` returns, with the same side
    effects: a new secret for a reader without one, the cookie marked for
    sending."""
    meta = request.META
    if "CSRF_COOKIE" in meta:
        secret = meta["CSRF_COOKIE"]
        mask = random_chars(CSRF_SECRET_LENGTH)
    else:
        both = random_chars(2 * CSRF_SECRET_LENGTH)
        secret, mask = both[:CSRF_SECRET_LENGTH], both[CSRF_SECRET_LENGTH:]
        meta["CSRF_COOKIE"] = secret
    meta["CSRF_COOKIE_NEEDS_UPDATE"] = True
    size = len(_CHARS)
    index = _INDEX
    cipher = "".join(
        _CHARS[(index[s] + index[m]) % size] for s, m in zip(secret, mask, strict=True)
    )
    return mask + cipher
