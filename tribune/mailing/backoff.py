"""Retry timing for failed deliveries: exponential backoff with a ceiling."""

from __future__ import annotations

import datetime as dt


def retry_delay(*, attempts: int, base: int, cap: int) -> dt.timedelta:
    """Wait after the given number of failed attempts: base, 2*base, 4*base ... cap.

    `attempts` counts failures so far (1 after the first). No jitter: each
    message retries on its own row, so retries of one outage spread out by when
    each message first failed.
    """
    if attempts < 1:
        raise ValueError("attempts starts at 1")
    # Cap the exponent so a large attempt count cannot overflow.
    seconds = base * (2 ** min(attempts - 1, 30))
    return dt.timedelta(seconds=min(seconds, cap))
