"""New rows written with one written-out INSERT, for the hottest write paths."""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Model


def insert(obj: Model) -> None:
    """Write a new `obj` with one `INSERT … RETURNING` and set its primary key,
    preparing each value as Model.save() does (the field's pre_save and its
    database form), without save()'s query building.

    Preconditions: the model has an automatic primary key that `obj` has not
    set, no save() of its own and no receiver of its pre_save or post_save
    signals (none is sent); the values are plain values, not expressions.
    Raises the database's IntegrityError as save() would.
    """
    meta = obj._meta
    auto = meta.auto_field
    if obj.pk is not None or auto is None:
        raise ValueError("rows.insert writes new rows with an automatic key")
    alias = router.db_for_write(type(obj), instance=obj)
    connection = connections[alias]
    fields = [f for f in meta.local_concrete_fields if f is not auto]
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns})"  # noqa: S608
        f" VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(auto.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    obj.pk = auto.to_python(row[0])
    obj._state.adding = False
    obj._state.db = alias
