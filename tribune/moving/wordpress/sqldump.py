"""Rows of one table from a MySQL dump (mysqldump or phpMyAdmin), read without eval.

Only `CREATE TABLE` (for the column names) and `INSERT INTO ... VALUES` of the
wanted table are looked at; every other statement is passed over.  Values are
MySQL literals: quoted strings (with backslash escapes and doubled quotes),
numbers and NULL.  Pure: text in, rows out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_TOKEN = re.compile(
    r"""
    (?P<skip>\s+|--[^\n]*|\#[^\n]*|/\*.*?\*/)
    |(?P<string>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")
    |(?P<ident>`(?:[^`]|``)*`)
    |(?P<number>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
    |(?P<word>[A-Za-z_][A-Za-z_0-9$]*)
    |(?P<punct>[(),;.=])
    |(?P<other>.)
    """,
    re.S | re.X,
)
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}

Token = tuple[str, str]  # (kind, text)


class SQLDumpError(ValueError):
    """The dump cannot be read."""


def _unquote(text: str) -> str:
    quote, body = text[0], text[1:-1]
    body = body.replace(quote * 2, quote)
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), body, flags=re.S)


def _tokens(text: str) -> Iterator[Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        value = match.group()
        if kind == "skip":
            continue
        if kind == "other" and value in "'\"`":
            line = text.count("\n", 0, match.start()) + 1
            raise SQLDumpError(f"unterminated quoted text on line {line}")
        if kind == "string":
            value = _unquote(value)
        elif kind == "ident":
            value = value[1:-1].replace("``", "`")
        yield kind, value


def _statements(text: str) -> Iterator[list[Token]]:
    statement: list[Token] = []
    for token in _tokens(text):
        if token == ("punct", ";"):
            if statement:
                yield statement
            statement = []
        else:
            statement.append(token)
    if statement:
        yield statement


def _words(statement: list[Token], n: int) -> list[str]:
    return [v.upper() for k, v in statement[:n] if k == "word"]


def _table_at(statement: list[Token], start: int) -> tuple[str, int]:
    """The (unqualified) table name at `start` and the index after it."""
    i = start
    name = statement[i][1] if i < len(statement) else ""
    while i + 2 < len(statement) and statement[i + 1] == ("punct", "."):
        i += 2
        name = statement[i][1]
    return name, i + 1


def _columns(statement: list[Token], start: int) -> list[str]:
    """Column names of a CREATE TABLE body starting at its "(" (at `start`)."""
    names, depth, expect = [], 0, False
    for kind, value in statement[start:]:
        if (kind, value) == ("punct", "("):
            depth += 1
            expect = depth == 1
            continue
        if (kind, value) == ("punct", ")"):
            depth -= 1
            continue
        if depth == 1 and (kind, value) == ("punct", ","):
            expect = True
            continue
        if expect and (
            kind == "ident" or (kind == "word" and value.upper() not in _CONSTRAINTS)
        ):
            names.append(value)
        expect = False
    return names


_CONSTRAINTS = {"PRIMARY", "KEY", "UNIQUE", "INDEX", "CONSTRAINT", "FOREIGN"}
_CONSTRAINTS |= {"FULLTEXT", "SPATIAL", "CHECK"}


_LITERALS = {"NULL": None, "TRUE": "1", "FALSE": "0"}


def _value(kind: str, value: str) -> str | None:
    """A literal's text (None for NULL); anything else is refused."""
    if kind in ("string", "number"):
        return value
    if kind == "word" and value.upper() in _LITERALS:
        return _LITERALS[value.upper()]
    raise SQLDumpError(f"an unexpected value {value[:20]!r}")


def _tuples(statement: list[Token], start: int) -> Iterator[list[str | None]]:
    row: list[str | None] | None = None
    for kind, value in statement[start:]:
        if (kind, value) == ("punct", "("):
            if row is not None:
                raise SQLDumpError("a value list inside a value list")
            row = []
        elif (kind, value) == ("punct", ")"):
            if row is None:
                raise SQLDumpError("a value list closed twice")
            yield row
            row = None
        elif (kind, value) == ("punct", ","):
            continue
        elif row is None:
            raise SQLDumpError(f"{value[:20]!r} outside a value list")
        else:
            row.append(_value(kind, value))
    if row is not None:
        raise SQLDumpError("an unclosed value list")


def _insert(statement: list[Token]) -> tuple[str, list[str] | None, int]:
    """Table, column list (None when the statement names none) and where
    VALUES' tuples start, for an INSERT statement."""
    i = 1
    while i < len(statement) and statement[i][1].upper() != "INTO":
        i += 1
    table, i = _table_at(statement, i + 1)
    columns: list[str] | None = None
    if i < len(statement) and statement[i] == ("punct", "("):
        end = statement.index(("punct", ")"), i)
        columns = [v for k, v in statement[i + 1 : end] if k in ("ident", "word")]
        i = end + 1
    if i >= len(statement) or statement[i][1].upper() not in ("VALUES", "VALUE"):
        raise SQLDumpError(f"an INSERT into {table!r} without VALUES")
    return table, columns, i + 1


def read_rows(
    text: str, *, table_suffix: str, default_columns: tuple[str, ...]
) -> Iterator[dict[str, str]]:
    """Each row inserted into a table whose name ends with `table_suffix` (any
    prefix, e.g. "wp_"), as column -> text (NULL as "").  Columns come from the
    INSERT's own list, else the table's CREATE TABLE, else `default_columns`."""
    known: list[str] = list(default_columns)
    for statement in _statements(text):
        words = _words(statement, 3)
        if words[:2] == ["CREATE", "TABLE"]:
            at = 2
            while at < len(statement) and statement[at][0] == "word":  # IF NOT EXISTS
                at += 1
            table, after = _table_at(statement, at)
            if table.endswith(table_suffix):
                known = _columns(statement, after) or known
        elif words[:1] in (["INSERT"], ["REPLACE"]):
            table, columns, start = _insert(statement)
            if not table.endswith(table_suffix):
                continue
            names = columns or known
            for values in _tuples(statement, start):
                if len(values) != len(names):
                    raise SQLDumpError(
                        f"a row of {len(values)} values for {len(names)} columns"
                    )
                yield {n: v or "" for n, v in zip(names, values, strict=True)}
