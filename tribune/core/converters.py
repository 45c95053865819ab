"""URL converters shared by the apps."""

from __future__ import annotations

# The largest value of a 64-bit signed integer column (BigAutoField, and SQLite's
# INTEGER): a larger number in a URL names no row and must not reach the database,
# whose driver would raise OverflowError.
MAX_ID = 2**63 - 1


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
