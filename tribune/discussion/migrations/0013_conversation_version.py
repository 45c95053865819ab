"""A version on each top-level comment that the database changes whenever the
conversation changes: the comment itself, or any reply added, written or
removed (docs/decisions/0048-conversations-kept.md).

The column is not a model field, so that no save() of a comment read earlier
can write an old version back; triggers keep it, so that no writer (a service,
QuerySet.update, an import's bulk insert, a cascade) can forget to. A new
version is never one a conversation had before: PostgreSQL takes it from a
sequence, SQLite from random() (64 bits).
"""

from django.db import migrations

_SQLITE = [
    "ALTER TABLE discussion_comment"
    " ADD COLUMN conversation_version bigint NOT NULL DEFAULT 0",
    """CREATE TRIGGER discussion_conversation_reply_added
    AFTER INSERT ON discussion_comment WHEN NEW.root_id IS NOT NULL
    BEGIN
        UPDATE discussion_comment SET conversation_version = random()
        WHERE id = NEW.root_id;
    END""",
    # The trigger's own UPDATE changes the version, so it does not fire again.
    """CREATE TRIGGER discussion_conversation_changed
    AFTER UPDATE ON discussion_comment
    WHEN NEW.conversation_version = OLD.conversation_version
    BEGIN
        UPDATE discussion_comment SET conversation_version = random()
        WHERE id IN (coalesce(NEW.root_id, NEW.id), coalesce(OLD.root_id, OLD.id));
    END""",
    """CREATE TRIGGER discussion_conversation_reply_removed
    AFTER DELETE ON discussion_comment WHEN OLD.root_id IS NOT NULL
    BEGIN
        UPDATE discussion_comment SET conversation_version = random()
        WHERE id = OLD.root_id;
    END""",
]
_SQLITE_REVERSE = [
    "DROP TRIGGER discussion_conversation_reply_added",
    "DROP TRIGGER discussion_conversation_changed",
    "DROP TRIGGER discussion_conversation_reply_removed",
    "ALTER TABLE discussion_comment DROP COLUMN conversation_version",
]

_POSTGRESQL = [
    "ALTER TABLE discussion_comment"
    " ADD COLUMN conversation_version bigint NOT NULL DEFAULT 0",
    "CREATE SEQUENCE discussion_conversation_version",
    """CREATE FUNCTION discussion_conversation_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE discussion_comment
            SET conversation_version = nextval('discussion_conversation_version')
            WHERE id = NEW.root_id;
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE discussion_comment
            SET conversation_version = nextval('discussion_conversation_version')
            WHERE id = OLD.root_id;
        ELSE
            UPDATE discussion_comment
            SET conversation_version = nextval('discussion_conversation_version')
            WHERE id IN (coalesce(NEW.root_id, NEW.id), coalesce(OLD.root_id, OLD.id));
        END IF;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER discussion_conversation_reply_added
    AFTER INSERT ON discussion_comment FOR EACH ROW
    WHEN (NEW.root_id IS NOT NULL)
    EXECUTE FUNCTION discussion_conversation_changed()""",
    # The trigger's own UPDATE changes the version, so it does not fire again.
    """CREATE TRIGGER discussion_conversation_changed
    AFTER UPDATE ON discussion_comment FOR EACH ROW
    WHEN (NEW.conversation_version = OLD.conversation_version)
    EXECUTE FUNCTION discussion_conversation_changed()""",
    """CREATE TRIGGER discussion_conversation_reply_removed
    AFTER DELETE ON discussion_comment FOR EACH ROW
    WHEN (OLD.root_id IS NOT NULL)
    EXECUTE FUNCTION discussion_conversation_changed()""",
]
_POSTGRESQL_REVERSE = [
    "DROP TRIGGER discussion_conversation_reply_added ON discussion_comment",
    "DROP TRIGGER discussion_conversation_changed ON discussion_comment",
    "DROP TRIGGER discussion_conversation_reply_removed ON discussion_comment",
    "DROP FUNCTION discussion_conversation_changed()",
    "DROP SEQUENCE discussion_conversation_version",
    "ALTER TABLE discussion_comment DROP COLUMN conversation_version",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise RuntimeError(f"no conversation versions for {vendor}")
        for sql in statements[vendor]:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("discussion", "0012_top_level_index")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _SQLITE, "postgresql": _POSTGRESQL}),
            _run({"sqlite": _SQLITE_REVERSE, "postgresql": _POSTGRESQL_REVERSE}),
        )
    ]
