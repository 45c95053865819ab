"""A values_list() queryset compiled to SQL once per shape and run again with
other values, for the hottest reads (docs/decisions/0047-prepared-reads.md).

Django builds and compiles a queryset on every call: for the grouped count of
a page's replies that is about 0.6 ms, three times what the database takes.
`Prepared` builds the queryset once per shape with stand-in values, finds where
each stand-in went among the compiled parameters, and keeps the SQL; each call
then puts the real values in those places, runs the SQL and converts the
values as values_list() would. A query whose stand-ins do not all come back as
parameters (a value Django changed or wrote into the SQL) is never kept: it is
built by the ORM on every call, as before.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet

# Where a compiled parameter comes from: a fixed value, or the n-th stand-in.
_Source = tuple[bool, Any]
_UNKNOWN: Any = object()
# Plans kept per query, the oldest dropped first: shapes come from what readers
# ask for, so their number must not grow with it.
MAX_PLANS = 256
# A longer list is not kept: each length is a plan of its own, and a long one is
# rare (a whole thread, one huge conversation).
MAX_LIST_ITEMS = 128


class _Plan:
    __slots__ = ("converters", "sources", "sql")

    def __init__(self, sql: str, sources: list[_Source], converters: list) -> None:
        self.sql = sql
        self.sources = sources
        self.converters = converters


def _shape(values: Sequence[Any]) -> tuple[tuple[Any, Any], ...]:
    """What of the values can change the query built from them: a list's
    length, a value's type and truth (a builder tests `if token:`)."""
    return tuple(
        ("list", len(v)) if isinstance(v, list | tuple) else (type(v), bool(v))
        for v in values
    )


class Prepared:
    """`build(*values, *fixed)` (a values_list() queryset of `model`) run as
    kept SQL.

    `build` may branch on a value's truth and on a list's length only (the
    shape), and must pass each truthy int or str value, and each list's
    items, to the query as they are: they are replaced by stand-ins while the
    SQL is compiled. `fixed` values (hashable) are given as they are and SQL
    is kept for each of them: what Django writes into the SQL itself, such
    as a slice's LIMIT and OFFSET.
    """

    def __init__(self, model: type[Model], build: Callable[..., QuerySet]) -> None:
        self._model = model
        self._build = build
        # (alias, shape, fixed) -> the plan, or None for a query that cannot
        # be kept.
        self._plans: dict[tuple[Hashable, ...], _Plan | None] = {}

    def alias(self) -> str:
        """The database the rows are read from."""
        return router.db_for_read(self._model)

    def rows(
        self, *values: Any, fixed: tuple[Hashable, ...] = (), keep: bool = True
    ) -> list[tuple]:
        """The rows of `build(*values, *fixed)`, as tuples; built by the ORM
        and not kept with `keep=False` or a list over MAX_LIST_ITEMS."""
        alias = self.alias()
        shape = _shape(values)
        plan: _Plan | None = None
        longest = max((n for kind, n in shape if kind == "list"), default=0)
        if keep and longest <= MAX_LIST_ITEMS:
            key = (alias, shape, fixed)
            plan = self._plans.get(key, _UNKNOWN)
            if plan is _UNKNOWN:
                plan = self._plan(alias, values, fixed)
                if len(self._plans) >= MAX_PLANS:
                    self._plans.pop(next(iter(self._plans)), None)
                self._plans[key] = plan
        if plan is None:
            return [tuple(r) for r in self._build(*values, *fixed).using(alias)]
        return self._run(alias, plan, values)

    def _run(self, alias: str, plan: _Plan, values: Sequence[Any]) -> list[tuple]:
        params = [
            (values[i[0]][i[1]] if i[1] is not None else values[i[0]]) if found else i
            for found, i in plan.sources
        ]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            found = cursor.fetchall()
        if not plan.converters:
            return [tuple(r) for r in found]
        out = []
        for row in found:
            values_out = list(row)
            for pos, (convs, expression) in plan.converters:
                value = values_out[pos]
                for convert in convs:
                    value = convert(value, expression, connection)
                values_out[pos] = value
            out.append(tuple(values_out))
        return out

    def _plan(
        self, alias: str, values: Sequence[Any], fixed: tuple[Hashable, ...]
    ) -> _Plan | None:
        """Compile the query with a stand-in for each value that can be one."""
        made = _with_stand_ins(values)
        if made is None:
            return None
        built, stand_ins = made
        try:
            queryset = self._build(*built, *fixed).using(alias)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
        except Exception:
            # Not kept: the ORM, asked on each call, answers (or raises) as it would.
            return None
        sources: list[_Source] = []
        seen = set()
        for param in params:
            where = stand_ins.get(param) if type(param) in (int, str) else None
            if where is None:
                sources.append((False, param))
            else:
                sources.append((True, where))
                seen.add(param)
        if seen != set(stand_ins) or any(str(s) in sql for s in stand_ins):
            return None
        converters = sorted(
            compiler.get_converters([col for col, *_ in compiler.select]).items()
        )
        return _Plan(sql, sources, converters)


def _with_stand_ins(
    values: Sequence[Any],
) -> tuple[list[Any], dict[Any, tuple[int, int | None]]] | None:
    """The values with stand-ins for those that can have one, and where each
    stand-in stands (value, item of a list); None if a list item cannot."""
    stand_ins: dict[Any, tuple[int, int | None]] = {}
    built: list[Any] = []
    for i, value in enumerate(values):
        if isinstance(value, list | tuple):
            items = []
            for j, item in enumerate(value):
                s = _stand_in(item)
                if s is None:
                    return None
                stand_ins[s] = (i, j)
                items.append(s)
            built.append(items)
        elif value and isinstance(value, int | str) and type(value) is not bool:
            s = _stand_in(value)
            stand_ins[s] = (i, None)
            built.append(s)
        else:
            built.append(value)  # None, "", 0, False: part of the shape
    return built, stand_ins


def _stand_in(value: Any) -> int | str | None:
    """A value of the same type that no query holds of its own."""
    if type(value) is int:
        return 2**52 + secrets.randbelow(2**40)
    if type(value) is str:
        # LIKE's and SQL's special characters and both cases: a value that Django
        # escapes, wraps or folds never comes back, so its query is not kept.
        return "Prepared-%_\\'X" + secrets.token_hex(12)
    return None
