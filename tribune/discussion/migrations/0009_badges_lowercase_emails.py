"""Lower-case the authors' addresses stored before every writer did, so that
"Your page" (and the supporter badges) match them exactly, on the index."""

from django.db import migrations
from django.db.models.functions import Lower


def lowercase_author_emails(apps, schema_editor):
    Comment = apps.get_model("discussion", "Comment")
    Comment.objects.exclude(author_email="").exclude(
        author_email=Lower("author_email")
    ).update(author_email=Lower("author_email"))


class Migration(migrations.Migration):
    dependencies = [("discussion", "0008_offensive_language")]

    operations = [
        migrations.RunPython(lowercase_author_emails, migrations.RunPython.noop)
    ]
