"""Spam defence without third parties: form timing, held words, rate limits."""

from __future__ import annotations

import functools
import re
import time

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from tribune.core import clock, ratelimit
from tribune.discussion import conf
from tribune.discussion.errors import RateLimitedError, SpamSuspectedError
from tribune.discussion.models import DiscussionSettings

FORM_SALT = "discussion.form"


# The token of the current second: it is only a signed timestamp, the same for
# every form rendered in that second, and every page-cache hit fills one in.
_issued: tuple[tuple[int, str], str] | None = None


def issue_form_token() -> str:
    """A signed timestamp for a freshly rendered comment form."""
    global _issued
    when = (int(time.time()), settings.SECRET_KEY)
    issued = _issued
    if issued is not None and issued[0] == when:
        return issued[1]
    token = signing.TimestampSigner(salt=FORM_SALT).sign("form")
    if signing.b62_decode(token.rsplit(":", 2)[1]) == when[0]:
        _issued = (when, token)
    return token


def check_form_token(token: str) -> None:
    """Reject forms sent too soon after rendering (bots), or too long after.

    Raises SpamSuspectedError with code "too_fast", "form_expired" or "bad_form".
    """
    max_age = conf.get("FORM_MAX_AGE_HOURS") * 3600
    keys = (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    issued = _verified.get((token, keys))
    if issued is None:
        issued = _verify(token, max_age)
        if len(_verified) >= _VERIFIED_KEPT:
            _verified.clear()
        _verified[(token, keys)] = issued
    elif time.time() - issued > max_age:  # as unsign() checks it
        raise SpamSuspectedError(
            _("This form is too old. Please send it again."), code="form_expired"
        )
    if clock.now().timestamp() - issued < conf.get("MIN_FILL_SECONDS"):
        raise SpamSuspectedError(
            _("That was quicker than people type. Please send the form again."),
            code="too_fast",
        )


# Tokens whose signature held, with the time they carry, under the keys that
# checked them: every form rendered in one second has the same token
# (issue_form_token), so most posts bring one already checked, and its HMAC is
# not computed again.  Its age is checked on every post.
_verified: dict[tuple[str, tuple[str | bytes, ...]], int] = {}
_VERIFIED_KEPT = 4096


def _verify(token: str, max_age: int) -> int:
    """The time a token was issued, once its signature and age are checked."""
    signer = signing.TimestampSigner(salt=FORM_SALT)
    try:
        signer.unsign(token or "", max_age=max_age)
    except signing.SignatureExpired:
        raise SpamSuspectedError(
            _("This form is too old. Please send it again."), code="form_expired"
        ) from None
    except signing.BadSignature:
        raise SpamSuspectedError(code="bad_form") from None
    return signing.b62_decode(token.rsplit(signer.sep, 2)[1])


def find_held_word(text: str, words: list[str]) -> str | None:
    """The first listed word or phrase found in `text` as whole words, ignoring case."""
    if not words:
        return None
    lowered = text.lower()
    # One search for the whole list first: most comments hold no listed word.
    if _any_of(tuple(words)).search(lowered) is None:
        return None
    for word in words:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            return word
    return None


@functools.lru_cache(maxsize=8)
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whether any of `words` is in a text as whole words: an alternative that
    matches but is followed by a letter gives way to the next one, so this
    finds a word exactly when one of the per-word searches would."""
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in words)})(?!\w)")


def check_rate(*, ip: str | None, email: str) -> None:
    """Count a new comment against the per-IP and per-email limits.

    Raises RateLimitedError when either limit is exceeded.  Side effect: the
    attempt is counted in the cache even when it is refused.
    """
    if not ratelimit.hit(
        scope="discussion.comment.ip",
        key=ratelimit.client_key(ip),
        limit=conf.get("RATE_PER_IP_PER_MINUTE"),
        window=60,
    ):
        raise RateLimitedError()
    if email and not ratelimit.hit(
        scope="discussion.comment.email",
        key=email.lower(),
        limit=conf.get("RATE_PER_EMAIL_PER_HOUR"),
        window=3600,
    ):
        raise RateLimitedError(field="email")


def check_vote_rate(*, ip: str | None, rules: DiscussionSettings) -> None:
    """Count a vote against the per-network hourly limit of the site settings.

    Raises RateLimitedError over the limit; the attempt is counted anyway.
    """
    if not ratelimit.hit(
        scope="discussion.vote.ip",
        key=ratelimit.client_key(ip),
        limit=rules.votes_per_ip_per_hour,
        window=3600,
    ):
        raise RateLimitedError(
            _("You are voting faster than we allow. Please try again later."),
            code="too_many_votes",
        )


def check_report_rate(*, ip: str | None, rules: DiscussionSettings) -> None:
    """Count a report against the per-network hourly limit of the site settings.

    Raises RateLimitedError over the limit; the attempt is counted anyway.
    """
    if not ratelimit.hit(
        scope="discussion.report.ip",
        key=ratelimit.client_key(ip),
        limit=rules.reports_per_ip_per_hour,
        window=3600,
    ):
        raise RateLimitedError(
            _("You are reporting faster than we allow. Please try again later."),
            code="too_many_reports",
        )
