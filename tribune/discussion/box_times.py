"""A comment box's two renderings of its time, written out per minute, zone and
language: Django's `date` filter parses its format on every call, about 20
times a page (fragments fills personal boxes with these)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from django.utils.dates import MONTHS_3


def written(moment: datetime, zone: tzinfo, language: str) -> list[str]:
    """The comment's time as the box's `date` filters print it
    (fragments._TIME_FORMATS) in `zone` and `language`. fragments._pieces
    checks both equal before any box is filled.

    The strings of a minute are kept (the posts of one minute share it); only
    the seconds are put in. A minute whose offset is not the same whole number
    of minutes from start to end (a change of offset in it, or a historical
    offset with seconds) is written out each time."""
    minute, rest = divmod(moment - _EPOCH, _MINUTE)
    key = (minute, zone, language)
    kept = _minutes.get(key)
    if kept is None:
        if len(_minutes) >= _MINUTES_KEPT:
            _minutes.clear()
        kept = _minutes[key] = _minute(_EPOCH + minute * _MINUTE, zone)
    if not kept:
        return _written(moment.astimezone(zone))
    head, zone_text, text = kept
    return [f"{head}{rest.seconds:02d}{zone_text}", text]


# Unix time's start, and the minute: a time's minute is counted from there.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MINUTE = timedelta(minutes=1)
# The box's times by (minute since _EPOCH, zone, language): the date and
# time up to the seconds, the offset, and the time without seconds; () when
# the minute cannot be kept.
_minutes: dict[tuple[int, tzinfo, str], tuple[str, ...]] = {}
_MINUTES_KEPT = 1024


def _minute(start: datetime, zone: tzinfo) -> tuple[str, ...]:
    """The kept strings of the minute from `start` (UTC) in `zone`."""
    first, last = start.astimezone(zone), (start + _LAST_SECOND).astimezone(zone)
    offset = first.utcoffset()
    if (
        offset is None
        or offset != last.utcoffset()
        or offset.seconds % 60  # a whole number of minutes, also when negative
        or _ambiguous(first) != _ambiguous(last)
        or first.second
    ):
        return ()
    time0, time1 = _written(first)
    cut = time0.index(":", 14) + 1  # "YYYY-MM-DDTHH:MM:" before the seconds
    return time0[:cut], time0[cut + 2 :], time1


_LAST_SECOND = timedelta(seconds=59)


def _ambiguous(t: datetime) -> bool:
    return t.replace(fold=not t.fold).utcoffset() != t.utcoffset()


def _written(t: datetime) -> list[str]:
    """The two renderings of `t` (in its own zone), as Django's dateformat."""
    offset = t.utcoffset()
    seconds = offset.days * 86400 + offset.seconds if offset is not None else 0
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    zone = f"{sign}{seconds // 3600:02d}{(seconds // 60) % 60:02d}"
    if offset is None or _ambiguous(t):
        zone = ""  # as Django's dateformat: no offset for an ambiguous time
    clock = f"{t.hour:02d}:{t.minute:02d}"
    return [
        f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{clock}:{t.second:02d}{zone}",
        f"{t.day} {MONTHS_3[t.month].title()} {t.year:04d}, {clock}",
    ]
