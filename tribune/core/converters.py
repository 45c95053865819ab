"""URL converters shared by the apps."""

from __future__ import annotations

# The largest value of a 64-bit signed integer column (BigAutoField, and SQLite's
# INTEGER): a larger number in a URL names no row and must not reach the database,
# whose driver would raise OverflowError.
MAX_ID = 2**63 - 1


def parse_id(text: str | None) -> int | None:
    """An id from a query string or form field, or None when it names no row.

    Only ASCII digits count ("²".isdigit() is true, but int() refuses it), and
    only numbers a 64-bit column can hold.
    """
    if not text or not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdConverter:
    """`<id:name>`: a database id, a positive integer a column can hold.

    A number beyond the column does not match, so the URL answers 404 like any
    other unknown id (Django's `int` matches any length and passes it on).
    """

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)
