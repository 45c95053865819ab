"""Spam defence without third parties: form timing, held words, rate limits."""

from __future__ import annotations

import re

from django.core import signing
from django.core.cache import cache

from tribune.core import clock
from tribune.discussion import conf
from tribune.discussion.errors import RateLimitedError, SpamSuspectedError

FORM_SALT = "discussion.form"


def issue_form_token() -> str:
    """A signed timestamp for a freshly rendered comment form."""
    return signing.TimestampSigner(salt=FORM_SALT).sign("form")


def check_form_token(token: str) -> None:
    """Reject forms sent too soon after rendering (bots), or too long after.

    Raises SpamSuspectedError with code "too_fast", "form_expired" or "bad_form".
    """
    signer = signing.TimestampSigner(salt=FORM_SALT)
    max_age = conf.get("FORM_MAX_AGE_HOURS") * 3600
    try:
        signer.unsign(token or "", max_age=max_age)
    except signing.SignatureExpired:
        raise SpamSuspectedError(
            "This form is too old. Please send it again.", code="form_expired"
        ) from None
    except signing.BadSignature:
        raise SpamSuspectedError(code="bad_form") from None
    issued = signing.b62_decode(token.rsplit(signer.sep, 2)[1])
    if clock.now().timestamp() - issued < conf.get("MIN_FILL_SECONDS"):
        raise SpamSuspectedError(
            "That was quicker than people type. Please send the form again.",
            code="too_fast",
        )


def find_held_word(text: str, words: list[str]) -> str | None:
    """The first listed word or phrase found in `text` as whole words, ignoring case."""
    lowered = text.lower()
    for word in words:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            return word
    return None


def _hit(key: str, limit: int, window: int) -> bool:
    """Count one event in a fixed window; True while within `limit`."""
    try:
        count = cache.incr(key)  # one cache call while the window is open
    except ValueError:
        # A new window; if another request opened it meanwhile, count in it.
        count = 1 if cache.add(key, 1, timeout=window) else cache.incr(key)
    return count <= limit


def check_rate(*, ip: str | None, email: str) -> None:
    """Count a new comment against the per-IP and per-email limits.

    Raises RateLimitedError when either limit is exceeded.  Side effect: the
    attempt is counted in the cache even when it is refused.
    """
    if ip and not _hit(
        f"discussion:rate:ip:{ip}", conf.get("RATE_PER_IP_PER_MINUTE"), 60
    ):
        raise RateLimitedError()
    if email and not _hit(
        f"discussion:rate:email:{email.lower()}",
        conf.get("RATE_PER_EMAIL_PER_HOUR"),
        3600,
    ):
        raise RateLimitedError(field="email")
