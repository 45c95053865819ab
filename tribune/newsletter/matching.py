"""Pure rules of the newsletter: who a report is for, digest periods, pacing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo


def wants(
    *,
    everything: bool,
    series_ids: Iterable[int],
    topic_ids: Iterable[int],
    report_series_id: int | None,
    report_topic_ids: Iterable[int],
) -> bool:
    """Whether a subscriber's choices take in a report of a series and topics."""
    if everything:
        return True
    if report_series_id is not None and report_series_id in set(series_ids):
        return True
    return bool(set(topic_ids) & set(report_topic_ids))


def digest_period(
    *, now: dt.datetime, tz: ZoneInfo, hour: int, days: int, weekday: int | None
) -> tuple[dt.datetime, dt.datetime]:
    """The period of the latest digest that is due at `now` (start, end), in UTC.

    A digest closes at `hour` local time (on `weekday` for a weekly one) and
    covers the `days` before; consecutive periods share their bounds, so every
    report falls in exactly one.
    """
    local = now.astimezone(tz)
    end_day = local.date()
    if weekday is not None:
        end_day -= dt.timedelta(days=(local.weekday() - weekday) % 7)
    end = dt.datetime.combine(end_day, dt.time(hour), tzinfo=tz)
    if end > local:
        if weekday is None:
            end -= dt.timedelta(days=1)
        else:
            end -= dt.timedelta(days=7)
        # Local midnight arithmetic across a clock change keeps the hour.
        end = dt.datetime.combine(end.date(), dt.time(hour), tzinfo=tz)
    start = dt.datetime.combine(
        end.date() - dt.timedelta(days=days), dt.time(hour), tzinfo=tz
    )
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def allowance(*, rate: int, sent_last_minute: int, backlog: int, batch: int) -> int:
    """How many messages one pacing run may hand to the outbox.

    At most `rate` in any minute, at most `batch` in one run, and never more
    than `batch` waiting in the outbox (so other mail waits behind at most one
    batch, and a slow relay is not buried).
    """
    return max(0, min(rate - sent_last_minute, batch - backlog, batch))
