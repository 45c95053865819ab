"""New rows written with one written-out INSERT, and a row read by its key with
one written-out SELECT, for the hottest write paths."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    DEFERRED,
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    EmailField,
    Field,
    FloatField,
    ForeignKey,
    GenericIPAddressField,
    IntegerField,
    JSONField,
    Model,
    OneToOneField,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SlugField,
    SmallAutoField,
    SmallIntegerField,
    TextField,
    TimeField,
    URLField,
)
from django.db.models.base import ModelState
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


def made(
    model: type[M], values: Iterable[Sequence[Any]], attnames: Sequence[str], alias: str
) -> list[M]:
    """Instances of `model` from rows of `attnames` values, converted (as
    values_list() gives them), the same as Model.from_db makes them (the other
    fields deferred: read from the database if asked for), without
    Model.__init__: it sets every field through its descriptor and checks
    each relation's cache, several times the cost of the values themselves on
    a page of comments. Falls back to from_db when the model has a receiver of
    its pre_init or post_init signals (they would not be sent).
    """
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return [model.from_db(alias, attnames, row) for row in values]
    out = []
    blank = model.__new__
    for row in values:
        obj = blank(model)
        fields = obj.__dict__
        fields.update(zip(attnames, row, strict=True))
        state = fields["_state"] = ModelState()
        state.adding, state.db = False, alias
        out.append(obj)
    return out


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
        if obj.pk is not None:
            raise ValueError("rows.insert writes new rows with an automatic key")
        model = type(obj)
        alias = router.db_for_write(model, instance=obj)
        self.connection = connection = connections[alias]
        key = (model, alias, tuple(later))
        plan = _INSERTS.get(key)
        if plan is None:
            plan = _INSERTS[key] = _InsertPlan(model, connection, later)
        self.obj, self.plan, self.alias = obj, plan, alias
        self.values = values = [None] * plan.width
        for i, field, attname, passing, any_str in plan.now:
            # Field.pre_save, for a field without one of its own.
            value = getattr(obj, attname)
            if type(value) in passing or (any_str and isinstance(value, str)):
                values[i] = value
            else:
                values[i] = field.get_db_prep_save(value, connection)

    def run(self) -> None:
        """Write the row and set the object's primary key."""
        obj, plan, values, connection = (
            self.obj,
            self.plan,
            self.values,
            self.connection,
        )
        for i, field, _attname, passing, any_str in plan.pending:
            value = field.pre_save(obj, True)
            if type(value) in passing or (any_str and isinstance(value, str)):
                values[i] = value
            else:
                values[i] = field.get_db_prep_save(value, connection)
        row = plan.statement.fetchone(connection, values)
        obj.pk = plan.auto.to_python(row[0])
        obj._state.adding = False
        obj._state.db = self.alias


# One column of a planned INSERT: its place, field, attribute, the types of
# value its database form leaves as they are, and whether any str does.
_Column = tuple[int, Field, str, frozenset[type], bool]


class _InsertPlan:
    """What every INSERT of one model (on one database, with the same fields
    left to run()) shares: worked out once per process."""

    def __init__(
        self, model: type[Model], connection: BaseDatabaseWrapper, later: Sequence[str]
    ) -> None:
        meta = model._meta
        auto = meta.auto_field
        if auto is None:
            raise ValueError("rows.insert writes new rows with an automatic key")
        self.auto = auto
        fields = [f for f in meta.local_concrete_fields if f is not auto]
        self.width = len(fields)
        itself = _self_setting(model)
        columns: list[_Column] = [
            (i, f, f.attname, *_unchanged(f, connection)) for i, f in enumerate(fields)
        ]
        waits = {
            i
            for i, f in enumerate(fields)
            if f.name in later or f.attname in later or f.attname in itself
        }
        self.now = [c for c in columns if c[0] not in waits]
        self.pending = [c for c in columns if c[0] in waits]
        self.statement = Statement(
            lambda connection: _insert_sql(connection, meta.db_table, fields, auto)
        )


def _insert_sql(
    connection: BaseDatabaseWrapper, table: str, fields: list[Field], auto: Field
) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    return (
        f"INSERT INTO {quote(table)} ({columns})"  # noqa: S608
        f" VALUES ({', '.join(['%s'] * len(fields))})"
        f" RETURNING {quote(auto.column)}"
    )


class _AnyStr(str):
    """A str of a type of its own: a field that returns it unchanged returns
    every str unchanged (Django's text fields convert by isinstance)."""


_TEXT = (CharField, TextField, EmailField, URLField, SlugField)
_INTEGERS = (
    IntegerField,
    SmallIntegerField,
    BigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    PositiveBigIntegerField,
)
_KEYS = (AutoField, BigAutoField, SmallAutoField, *_INTEGERS)
_NULL_ONLY = (DateField, DateTimeField, TimeField, JSONField, GenericIPAddressField)


def _samples(field: Field) -> tuple[Any, ...]:
    """Values of each plain type a field of Django's own class may store as
    they are; only these fields are asked (a field of another class, even a
    subclass, may convert anything)."""
    kind = type(field)
    if kind in _TEXT:
        return ("x", _AnyStr("x"), None)
    if kind in _INTEGERS:
        return (7, None)
    if kind is FloatField:
        return (1.5, None)
    if kind is BooleanField:
        return (True, None)
    if kind in (ForeignKey, OneToOneField):
        target = field.target_field  # type: ignore[attr-defined]
        return (7, None) if type(target) in _KEYS else (None,)
    if kind in _NULL_ONLY:
        return (None,)
    return ()


def _unchanged(
    field: Field, connection: BaseDatabaseWrapper
) -> tuple[frozenset[type], bool]:
    """The value types whose database form (get_db_prep_save) is the value
    itself for this field on this database, asked once: their values are
    written as they are, without the field's three to five calls each. Each
    conversion asked about depends on the value's type only (int(), float(),
    bool(), isinstance(value, str), the backend's adapters)."""
    same = set()
    for sample in _samples(field):
        try:
            if field.get_db_prep_save(sample, connection) is sample:
                same.add(type(sample))
        except Exception:  # noqa: S112 - a converter refusing it: not the same
            continue
    any_str = _AnyStr in same and str in same
    same.discard(_AnyStr)
    return frozenset(same), any_str


_INSERTS: dict[tuple[type[Model], str, tuple[str, ...]], _InsertPlan] = {}

# The pre_save of Django's date and time fields, which sets a value only for
# auto_now and auto_now_add; otherwise it is Field.pre_save.
_DATE_PRE_SAVES = frozenset(
    {DateField.pre_save, DateTimeField.pre_save, TimeField.pre_save}
)

# model -> the attribute names of its fields with a pre_save of their own, which
# may give a value (auto_now's time, a file's name) to be taken when the row is
# written: worked out once per model.
_SELF_SETTING: dict[type[Model], frozenset[str]] = {}


def _self_setting(model: type[Model]) -> frozenset[str]:
    found = _SELF_SETTING.get(model)
    if found is None:
        found = frozenset(
            f.attname for f in model._meta.local_concrete_fields if _sets_itself(f)
        )
        _SELF_SETTING[model] = found
    return found


def _sets_itself(field: Field) -> bool:
    pre_save = type(field).pre_save
    if pre_save is Field.pre_save:
        return False
    if pre_save in _DATE_PRE_SAVES:
        return bool(field.auto_now or field.auto_now_add)  # type: ignore[attr-defined]
    return True


# Django's "format" placeholders as SQLite's driver takes them (the regex of
# Django's SQLiteCursorWrapper, which converts them on every statement).
_FORMAT_PLACEHOLDER = re.compile(r"(?<!%)%s")


class Statement:
    """A written-out statement kept per process in two forms: with Django's
    %s placeholders, and as the database's driver takes it (SQLite's `?`),
    so that running it converts nothing.

    `write` returns the statement (Django's form) for a connection; it is
    asked once per database. Inside a transaction, on SQLite and PostgreSQL, the
    statement goes straight to a cursor of the driver, errors translated as
    Django translates them; elsewhere, or while queries are logged or an
    execute wrapper is installed (debug, tests, the benchmark's counter), it
    takes Django's cursor like any query.
    """

    def __init__(self, write: Callable[[BaseDatabaseWrapper], str]) -> None:
        self._write = write
        self._texts: dict[str, tuple[str, str | None]] = {}

    def fetchone(self, connection: BaseDatabaseWrapper, params: Sequence[Any]) -> Any:
        """Run the statement with `params` and return its first row (or None)."""
        texts = self._texts.get(connection.alias)
        if texts is None:
            texts = self._texts[connection.alias] = self._prepare(connection)
        sql, native = texts
        if (
            native is None
            or not connection.in_atomic_block
            or connection.execute_wrappers
            or connection.queries_logged
            or connection.connection is None
        ):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()
        if connection.needs_rollback:
            connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            if connection.vendor == "sqlite":
                cursor = connection.connection.execute(native, params)
            else:
                cursor = connection.create_cursor()
                cursor.execute(native, params)
            try:
                return cursor.fetchone()
            finally:
                cursor.close()

    def _prepare(self, connection: BaseDatabaseWrapper) -> tuple[str, str | None]:
        sql = self._write(connection)
        if connection.vendor == "sqlite":
            return sql, _FORMAT_PLACEHOLDER.sub("?", sql).replace("%%", "%")
        if connection.vendor == "postgresql":
            return sql, sql  # psycopg takes Django's placeholders as they are
        return sql, None


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
    _select, attnames, converters = _reader(model, alias)
    statement = _SELECTS.get((model, where))
    if statement is None:
        statement = _SELECTS[(model, where)] = Statement(
            lambda connection: _select_sql(connection, model, where)
        )
    row = statement.fetchone(connection, [pk, *params])
    if row is None:
        return None
    values = list(row)
    for i, column, convert in converters:
        values[i] = convert(values[i], column, connection)
    return model.from_db(alias, attnames, values)


# (model, where) -> get_by_key's statement.
_SELECTS: dict[tuple[type[Model], str], Statement] = {}


def _select_sql(connection: BaseDatabaseWrapper, model: type[Model], where: str) -> str:
    select = _reader(model, connection.alias)[0]
    extra = f" AND {where}" if where else ""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return f"{select}{extra}{lock}"


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
