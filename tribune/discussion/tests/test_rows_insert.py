"""A comment written by core.rows.insert (the posting path) is the row save()
writes, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField
from django.db.models.signals import post_init, post_save, pre_save
from django.db.transaction import TransactionManagementError
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import SafeString
from wagtail.models import TranslatableMixin
from wagtail.models.i18n import set_locale_on_new_instance

from tribune.core import clock, rows, testing
from tribune.discussion.models import Comment, HeldReason, Status
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


def _comment(thread, **extra) -> Comment:
    return Comment(
        thread=thread,
        author_name="Ana \u00e9",
        author_email="ana@example.org",
        author_website="https://example.org/",
        guest_token="t" * 40,
        ip_address="2001:db8::1",
        body_markdown="Hello *you*",
        body_html="<p>Hello <em>you</em></p>",
        idempotency_key=extra.pop("key", None),
        spam_score=0.125,
        spam_reasons=["link", "caps"],
        spam_facts={"links": 1, "nested": {"a": [1, None]}},
        offensive_score=3,
        **extra,
    )


def _stored(comment: Comment) -> dict[str, object]:
    row = Comment.objects.get(pk=comment.pk)
    values = model_to_dict(row)
    values.pop("id")
    return {**values, "created_at": row.created_at}


def test_the_written_out_insert_stores_what_save_stores() -> None:
    thread = factories.thread(newsroom.article())
    parent = factories.comment(in_thread=thread)
    by_save = _comment(thread, parent=parent, root=parent, depth=1)
    by_insert = _comment(thread, parent=parent, root=parent, depth=1)
    by_insert.created_at = by_save.created_at
    by_save.save()
    rows.insert(by_insert)
    assert by_insert.pk is not None and by_insert.pk != by_save.pk
    assert not by_insert._state.adding
    assert _stored(by_insert) == _stored(by_save)
    assert Comment.objects.get(pk=by_insert.pk).created_at.tzinfo is not None


def test_a_repeated_key_raises_the_integrity_error_save_would() -> None:
    thread = factories.thread(newsroom.article())
    rows.insert(_comment(thread, key="same"))
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert(_comment(thread, key="same"))


def test_no_save_receiver_would_be_skipped_by_the_insert() -> None:
    # Wagtail's locale receiver listens to every model and changes only
    # translatable ones.
    [sync, asynchronous] = pre_save._live_receivers(Comment)
    assert set(sync) <= {set_locale_on_new_instance}
    assert not asynchronous
    assert not issubclass(Comment, TranslatableMixin)
    assert not post_save.has_listeners(Comment)


def test_a_row_with_a_key_already_set_is_refused() -> None:
    thread = factories.thread(newsroom.article())
    with pytest.raises(ValueError):
        rows.insert(_comment(thread, id=10**9))


def test_the_written_out_select_reads_what_the_orm_reads() -> None:
    thread = factories.thread(newsroom.article())
    comment = _comment(thread, edited_at=clock.now())
    comment.save()
    expected = Comment.objects.get(pk=comment.pk)
    with transaction.atomic():
        found = rows.get_by_key(
            Comment, comment.pk, where="thread_id = %s", params=[thread.pk]
        )
        assert (
            rows.get_by_key(
                Comment, comment.pk, where="thread_id = %s", params=[thread.pk + 1]
            )
            is None
        )
    assert found is not None and not found._state.adding
    for field in Comment._meta.concrete_fields:
        got, want = getattr(found, field.attname), getattr(expected, field.attname)
        assert (type(got), got) == (type(want), want), field.name


def test_an_insert_prepared_before_its_transaction_takes_the_later_fields_at_run():
    # The posting path prepares the values before taking SQLite's write lock
    # and places a reply (parent, root, depth) inside the transaction.
    thread = factories.thread(newsroom.article())
    parent = factories.comment(in_thread=thread)
    by_save = _comment(thread, parent=parent, root=parent, depth=1)
    prepared = _comment(thread)
    prepared.created_at = by_save.created_at
    row = rows.Insert(prepared, later=("parent", "root_id", "depth"))
    prepared.parent, prepared.root_id, prepared.depth = parent, parent.pk, 1
    prepared.author_name = "changed after the values were prepared"
    by_save.save()
    with transaction.atomic():
        row.run()
    assert prepared.pk is not None and not prepared._state.adding
    stored = _stored(prepared)
    assert stored.pop("author_name") == "Ana \u00e9"
    expected = _stored(by_save)
    expected.pop("author_name")
    assert stored == expected


def _built(comment: Comment) -> dict[str, object]:
    """What construction left on an instance: its attributes, where its state
    points and the related objects it holds."""
    values = {k: v for k, v in vars(comment).items() if k != "_state"}
    state = comment._state
    cached = {k: id(v) for k, v in state.fields_cache.items()}
    return {**values, "db": state.db, "adding": state.adding, "cached": cached}


@pytest.mark.parametrize(
    "extra",
    [
        {"author": "user"},
        {"author": None, "idempotency_key": "k1"},
        {"parent_id": None, "depth": 2, "status": "pending", "spam_facts": {}},
        {"root": None, "passage_exact": "a quote", "passage_start": 4, "score": 1},
    ],
)
def test_a_comment_built_by_rows_new_is_the_one_comment_init_builds(extra) -> None:
    thread = factories.thread(newsroom.article())
    if extra.get("author") == "user":
        extra = {**extra, "author": factories.user()}
    values = {
        "thread": thread,
        "author_name": "Ana",
        "author_email": "ana@example.org",
        "ip_address": "2001:db8::1",
        "body_markdown": "Hello",
        "body_html": "<p>Hello</p>",
        "spam_reasons": ["link"],
        "offensive_score": 3,
        **extra,
    }
    with time_machine.travel(clock.now(), tick=False):
        expected = Comment(**values)
        built = rows.new(Comment, **values)
    assert _built(built) == _built(expected)
    # Callable defaults are called for each comment, not shared between them.
    if "spam_facts" not in extra:
        assert built.spam_facts == {} and built.spam_facts is not expected.spam_facts


def test_rows_new_leaves_a_model_with_init_receivers_to_its_init() -> None:
    thread = factories.thread(newsroom.article())
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.thread_id)

    post_init.connect(receiver, sender=Comment)
    try:
        rows.new(Comment, thread=thread, author_name="A", body_markdown="b")
    finally:
        post_init.disconnect(receiver, sender=Comment)
    assert seen == [thread.pk]  # the receiver saw the instance with its thread


def test_rows_new_refuses_what_comment_init_refuses() -> None:
    with pytest.raises(TypeError, match="unexpected keyword arguments: 'colour'"):
        rows.new(Comment, author_name="A", colour="red")


def _django_values(obj, fields_later=()) -> list[object]:
    """What Model.save() would send for each column of a new row."""
    return [
        f.get_db_prep_save(f.pre_save(obj, True), connection)
        for f in obj._meta.local_concrete_fields
        if f is not obj._meta.auto_field
    ]


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"status": Status.PENDING, "held_reason": HeldReason.OFFENSIVE, "depth": 3},
        {"passage_start": 4, "passage_end": 9, "passage_exact": "", "rank": 2.5},
        {"spam_score": None, "offensive_score": None, "score": -2, "upvotes": 7},
        {"author_name": SafeString("<b>Ana</b>"), "edited_at": None},
    ],
)
def test_the_values_written_as_they_are_are_those_django_prepares(extra) -> None:
    # rows.Insert writes a plain value of a type its field leaves unchanged
    # without asking the field each time (core/rows._unchanged).
    thread = factories.thread(newsroom.article())
    comment = _comment(thread, key="k")
    for name, value in extra.items():
        setattr(comment, name, value)
    row = rows.Insert(comment)
    expected = _django_values(comment)
    assert list(map(_comparable, row.values)) == list(map(_comparable, expected))


def _comparable(value: object) -> tuple[type, object]:
    # psycopg's Jsonb and Int wrappers compare by identity: their contents.
    return type(value), getattr(value, "obj", value)


def test_only_djangos_own_plain_fields_write_values_as_they_are() -> None:
    class Upper(CharField):
        def get_prep_value(self, value):
            return None if value is None else str(value).upper()

    field = Upper(max_length=5)
    assert rows._unchanged(field, connection) == (frozenset(), False)
    text = Comment._meta.get_field("author_name")
    assert rows._unchanged(text, connection) == (frozenset({str, type(None)}), True)
    # Nothing but None for a field whose values the backend converts.
    assert rows._unchanged(Comment._meta.get_field("created_at"), connection) == (
        frozenset({type(None)}),
        False,
    )


def test_a_statement_in_a_transaction_skips_djangos_cursor(monkeypatch) -> None:
    thread = factories.thread(newsroom.article())
    seen = testing.statements_through_cursor(monkeypatch)
    with transaction.atomic():
        comment = _comment(thread)
        rows.insert(comment)
    assert not [sql for sql in seen if "discussion_comment" in sql]
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_an_execute_wrapper_and_logged_queries_still_see_the_statement() -> None:
    # Tests count queries and tools wrap them: those take Django's cursor.
    thread = factories.thread(newsroom.article())
    wrapped: list[str] = []

    def wrapper(execute, sql, params, many, context):
        wrapped.append(sql)
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(wrapper):
        rows.insert(_comment(thread))
    assert [sql.split(" (")[0] for sql in wrapped] == [
        'INSERT INTO "discussion_comment"'
    ]
    with CaptureQueriesContext(connection) as logged, transaction.atomic():
        rows.insert(_comment(thread))
    assert any(q["sql"].startswith('INSERT INTO "discussion_comment"') for q in logged)


def test_a_statement_after_a_failed_one_in_the_transaction_is_refused() -> None:
    # As Django's cursor refuses it (the transaction must be rolled back first).
    thread = factories.thread(newsroom.article())
    rows.insert(_comment(thread, key="same"))
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            rows.insert(_comment(thread, key="same"))
        with pytest.raises(TransactionManagementError):
            rows.insert(_comment(thread, key="other"))


def _state(obj) -> dict[str, object]:
    values = dict(obj.__dict__)
    state = values.pop("_state")
    return {**values, "_db": state.db, "_adding": state.adding}


def test_rows_made_are_the_instances_from_db_makes() -> None:
    thread = factories.thread(newsroom.article())
    factories.comment(in_thread=thread, body="First *one*.")
    factories.comment(in_thread=thread, body="Second.")
    names = [f.attname for f in Comment._meta.concrete_fields if f.name != "spam_facts"]
    query = Comment.objects.filter(thread=thread).order_by("id")
    made = rows.made(Comment, query.values_list(*names), names, "default")
    expected = list(query.defer("spam_facts"))
    assert [_state(c) for c in made] == [_state(c) for c in expected]
    assert made[0].get_deferred_fields() == {"spam_facts"}
    facts = Comment.objects.get(pk=made[0].pk).spam_facts
    with CaptureQueriesContext(connection) as read:
        assert made[0].spam_facts == facts
    assert len(read) == 1  # a field left out is read on use, as defer() does
    assert made[0].thread == thread


def test_rows_made_leaves_a_model_with_init_receivers_to_from_db() -> None:
    thread = factories.thread(newsroom.article())
    comment = factories.comment(in_thread=thread)
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    names = ["id", "thread_id", "body_html"]
    post_init.connect(receiver, sender=Comment)
    try:
        made = rows.made(Comment, Comment.objects.values_list(*names), names, "default")
    finally:
        post_init.disconnect(receiver, sender=Comment)
    assert seen == [comment.pk] and made[0].pk == comment.pk
