"""WordPress's date strings to aware datetimes (pure)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

_FORMAT = "%Y-%m-%d %H:%M:%S"


def parse(local: str, gmt: str, zone: str) -> dt.datetime | None:
    """The moment a post or comment carries: its GMT date when set, else its
    local date read in `zone` (the site's time zone).  None if neither parses;
    WordPress writes "0000-00-00 00:00:00" for drafts never dated."""
    for value, tz in ((gmt, dt.UTC), (local, zoneinfo.ZoneInfo(zone))):
        if not value or value.startswith("0000"):
            continue
        try:
            return dt.datetime.strptime(value.strip(), _FORMAT).replace(tzinfo=tz)
        except ValueError:
            continue
    return None


def parse_stamp(value: str) -> dt.datetime | None:
    """wpDiscuz's "last edited" meta: a Unix time or a MySQL datetime (UTC)."""
    value = (value or "").strip()
    if value.isdigit():
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    try:
        return dt.datetime.strptime(value, _FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return None
