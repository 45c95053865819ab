"""New rows written with one written-out INSERT, and a row read by its key with
one written-out SELECT, for the hottest write paths."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import DEFERRED, Field, Model
from django.db.models.signals import post_init, pre_init

M = TypeVar("M", bound=Model)


def new(model: type[M], **values: Any) -> M:
    """`model(**values)` for a new row, the same instance, through
    Model.__init__'s positional path: its keyword path tries each of the
    model's fields in the keywords and raises and catches a KeyError for every
    field not given (a comment has 37 fields; a new one is given 15).

    A relation given by name (`thread=`) is set after, through its descriptor,
    as the keyword path sets it. Falls back to `model(**values)` when the model
    has generated fields or a receiver of its pre_init or post_init signals
    (which would see other arguments, or the instance before its relations).
    """
    plan = _plans.get(model)
    if plan is None:
        plan = _plans[model] = _plan(model)
    if not plan or pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model(**values)
    args: list[Any] = []
    related: list[tuple[str, Any]] = []
    for field, default in plan:
        if field.name in values:
            value = values.pop(field.name)
            if field.name != field.attname:  # a relation given as an instance
                related.append((field.name, value))
                value = DEFERRED
        elif field.attname in values:
            value = values.pop(field.attname)
        elif default is _CALL:
            value = field.get_default()
        else:
            value = default
        args.append(value)
    if values:
        names = ", ".join(map(repr, values))
        raise TypeError(f"{model.__name__}() got unexpected keyword arguments: {names}")
    obj = model(*args)
    for name, value in related:
        setattr(obj, name, value)
    return obj


# A default asked of its field each time: a callable (the time, a new list).
_CALL = object()
_FIXED = (type(None), str, int, float, bool)
# Per model: its concrete fields, each with its default when that is a fixed
# value (asked once), else _CALL; empty for a model new() leaves to __init__.
_plans: dict[type[Model], list[tuple[Any, Any]]] = {}


def _plan(model: type[Model]) -> list[tuple[Any, Any]]:
    fields = model._meta.concrete_fields
    if any(f.generated for f in fields):
        return []
    plan = []
    for field in fields:
        default: Any = _CALL
        if not (field.has_default() and callable(field.default)):
            value = field.get_default()
            if type(value) in _FIXED:
                default = value
        plan.append((field, default))
    return plan


def insert(obj: Model) -> None:
    """Write a new `obj` with one `INSERT … RETURNING` and set its primary key,
    preparing each value as Model.save() does (the field's pre_save and its
    database form), without save()'s query building.

    Preconditions: the model has an automatic primary key that `obj` has not
    set, no save() of its own and no receiver of its pre_save or post_save
    signals (none is sent); the values are plain values, not expressions.
    Raises the database's IntegrityError as save() would.
    """
    Insert(obj).run()


class Insert:
    """`insert(obj)` in two steps: the values are prepared now (before a
    transaction, so that SQLite's write lock is not held for it) and written
    by `run()`, inside it.

    The fields named in `later`, and those with a pre_save of their own
    (auto_now's time is taken inside the transaction), are prepared by
    `run()`; the caller changes no other field in between. Preconditions as
    insert's.
    """

    def __init__(self, obj: Model, *, later: Sequence[str] = ()) -> None:
        meta = obj._meta
        auto = meta.auto_field
        if obj.pk is not None or auto is None:
            raise ValueError("rows.insert writes new rows with an automatic key")
        self.obj, self.auto = obj, auto
        self.alias = alias = router.db_for_write(type(obj), instance=obj)
        connection = connections[alias]
        self.fields = fields = [f for f in meta.local_concrete_fields if f is not auto]
        itself = _self_setting(meta.model)
        self.pending = [
            i
            for i, f in enumerate(fields)
            if f.name in later or f.attname in later or f.attname in itself
        ]
        pending = set(self.pending)
        self.values: list[Any] = [
            None
            if i in pending
            else f.get_db_prep_save(f.pre_save(obj, True), connection)
            for i, f in enumerate(fields)
        ]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        self.sql = (
            f"INSERT INTO {quote(meta.db_table)} ({columns})"  # noqa: S608
            f" VALUES ({', '.join(['%s'] * len(fields))})"
            f" RETURNING {quote(auto.column)}"
        )

    def run(self) -> None:
        """Write the row and set the object's primary key."""
        obj, fields, values = self.obj, self.fields, self.values
        connection = connections[self.alias]
        for i in self.pending:
            field = fields[i]
            values[i] = field.get_db_prep_save(field.pre_save(obj, True), connection)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, values)
            row = cursor.fetchone()
        obj.pk = self.auto.to_python(row[0])
        obj._state.adding = False
        obj._state.db = self.alias


# model -> the attribute names of its fields with a pre_save of their own, which
# may give a value (auto_now's time, a file's name) to be taken when the row is
# written (date and time fields among them): worked out once per model.
_SELF_SETTING: dict[type[Model], frozenset[str]] = {}


def _self_setting(model: type[Model]) -> frozenset[str]:
    found = _SELF_SETTING.get(model)
    if found is None:
        found = frozenset(
            f.attname
            for f in model._meta.local_concrete_fields
            if type(f).pre_save is not Field.pre_save
        )
        _SELF_SETTING[model] = found
    return found


def get_by_key(
    model: type[M], pk: int, *, where: str = "", params: Sequence[Any] = ()
) -> M | None:
    """The row of `model` with primary key `pk` (and the extra `where`, written
    with %s for `params`), locked FOR UPDATE where the database can, or None.

    One written-out SELECT; each value converted as the ORM converts it (the
    backend's and the field's converters), without building the ORM's query,
    which cost several times the lookup itself. Caller holds a transaction.
    """
    alias = router.db_for_write(model)
    connection = connections[alias]
    select, attnames, converters = _reader(model, alias)
    extra = f" AND {where}" if where else ""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"{select}{extra}{lock}", [pk, *params])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, column, convert in converters:
        values[i] = convert(values[i], column, connection)
    return model.from_db(alias, attnames, values)


# (model, alias) -> the SELECT up to its key, the attribute names, and the
# converters by column: worked out once per process, not per row.
_READERS: dict[tuple[type[Model], str], tuple[str, list[str], list[Any]]] = {}


def _reader(model: type[Model], alias: str) -> tuple[str, list[str], list[Any]]:
    found = _READERS.get((model, alias))
    if found is not None:
        return found
    connection = connections[alias]
    meta = model._meta
    fields = meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    select = (
        f"SELECT {columns} FROM {quote(meta.db_table)}"  # noqa: S608
        f" WHERE {quote(meta.pk.column)} = %s"
    )
    converters = []
    for i, field in enumerate(fields):
        column = field.get_col(meta.db_table)
        backend = connection.ops.get_db_converters(column)
        for convert in backend + column.get_db_converters(connection):
            converters.append((i, column, convert))
    found = (select, [f.attname for f in fields], converters)
    _READERS[(model, alias)] = found
    return found
