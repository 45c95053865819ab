"""Your page finds a reader's comments whatever the case of the stored address:
every writer stores it lower-cased, and a data migration lower-cased the rest."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from tribune.core import clock
from tribune.discussion import services as discussion
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment
from tribune.discussion.services import importing
from tribune.discussion.submission import Submission
from tribune.discussion.tests import factories as d
from tribune.selfservice.tests.conftest import proved_client

pytestmark = pytest.mark.django_db
ADA = "ada@example.org"
MIGRATION = importlib.import_module(
    "tribune.discussion.migrations.0009_badges_lowercase_emails"
)


def _legacy_comment(body: str) -> Comment:
    """A guest comment as older versions stored it: the address as typed."""
    comment = d.comment(body=body)
    Comment.objects.filter(pk=comment.pk).update(author_email="Ada@Example.ORG")
    return comment


def test_a_mixed_case_address_is_listed_exported_and_erased_after_migrating(
    home,
) -> None:
    comment = _legacy_comment("Stored with capitals.")
    client = proved_client(ADA)
    assert "Stored with capitals." not in client.get("/me/").content.decode()
    MIGRATION.lowercase_author_emails(apps, None)
    assert Comment.objects.get(pk=comment.pk).author_email == ADA
    assert "Stored with capitals." in client.get("/me/").content.decode()
    data = json.loads(client.get(reverse("selfservice:export")).content)
    assert [c["id"] for c in data["comments"]] == [comment.pk]
    client.post(reverse("selfservice:erase"), {"comments": "remove", "confirm": "on"})
    assert not Comment.objects.filter(author_email__iexact=ADA).exists()


def test_an_accounts_mixed_case_address_is_stored_lower_cased(home) -> None:
    user = get_user_model().objects.create_user(
        username="ada", email="Ada@Example.ORG", password=None
    )
    comment = discussion.post_comment(
        Submission(
            thread=d.thread(),
            state="open",
            rules=d.rules(),
            viewer=Viewer(user_id=user.pk),
            user=user,
            body="Written from my account.",
            throttle=False,
        )
    )
    assert comment.author_email == ADA
    # The magic link alone (no session of the account) finds it.
    assert "Written from my account." in proved_client(ADA).get("/me/").content.decode()


def test_an_imported_mixed_case_address_is_stored_lower_cased(home) -> None:
    entry = importing.ImportedEntry(
        name="Ada", email=" Ada@Example.ORG ", body="Imported.", created_at=clock.now()
    )
    importing.import_entry(thread=d.thread(), entry=entry)
    assert Comment.objects.get(body_markdown="Imported.").author_email == ADA
