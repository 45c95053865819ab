"""The demo's flow with the real `tribune worker` printing mail to its console."""

from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tribune.discussion import spam
from tribune.discussion.tests import factories as discussion_factories
from tribune.mailing.models import OutboundEmail
from tribune.mailing.tests.conftest import ROOT, database_url
from tribune.newsroom.tests import factories as newsroom
from tribune.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db(transaction=True)
DEMO_SITE = "http://127.0.0.1:8000"


def run_worker_printing(var_dir: Path, follow_ups: int = 0) -> str:
    """Run `tribune worker` as `make run` does (no SMTP: mail is written under
    var/mail/), for the tasks waiting now (Wagtail's own included) and
    `follow_ups` they add; returns the mail it wrote."""
    tasks = DBTaskResult.objects.ready().count() + follow_ups
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    environ = {k: v for k, v in os.environ.items() if k in keep}
    environ.update(
        DJANGO_SETTINGS_MODULE="tribune.config.settings.dev",
        SECRET_KEY="demo-test-only",
        DATABASE_URL=database_url(),
        BASE_URL=DEMO_SITE,
        TRIBUNE_VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
    )
    worker = subprocess.run(
        [sys.executable, "-m", "tribune", "worker", "--max-tasks", str(tasks)],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr.decode()
    written = ""
    for path in sorted((var_dir / "mail").glob("*.log")):
        written += path.read_text()
        path.unlink()  # the next run returns only what it wrote
    return written


def messages_in(printed: str) -> list[email.message.EmailMessage]:
    """The messages Django's file (or console) backend wrote, parsed."""
    blocks = re.split(r"^-{79}$", printed, flags=re.MULTILINE)
    return [
        email.message_from_string(block.strip(), policy=email.policy.default)  # type: ignore[misc]
        for block in blocks
        if "MIME-Version" in block
    ]


def test_demo_guest_subscribes_confirms_from_the_printed_mail_and_gets_a_reply(
    settings, tmp_path
):
    settings.WAGTAILADMIN_BASE_URL = DEMO_SITE
    settings.SECRET_KEY = "demo-test-only"  # the worker signs links with it
    discussion_factories.rules()
    article = newsroom.article(title="Orchard harvest comes early")
    # From here on tasks wait in the database for the worker, as in `make run`.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    guest = Client()
    response = guest.post(
        reverse("subscriptions:subscribe", args=[article.pk]),
        {"scope": "thread", "delivery": "instant", "email": "guest@example.org"},
    )
    assert response.status_code == 303
    printed = run_worker_printing(tmp_path)
    assert "Subject: Please confirm your subscription" in printed
    assert "To: guest@example.org" in printed
    confirm = re.search(
        rf"{re.escape(DEMO_SITE)}(/subscriptions/confirm/\S+/)", printed
    )
    assert confirm, printed
    assert guest.post(confirm[1]).status_code == 200
    assert Subscription.objects.get().is_confirmed
    Client().post(
        reverse("discussion:post", args=[article.pk]),
        {
            "body": "The cider press opens on Saturday.",
            "name": "Neighbour",
            "email": "neighbour@example.org",
            "key": uuid.uuid4().hex,
            "started": spam.issue_form_token(),
        },
    )
    # The task telling subscribers adds one that delivers the mail.
    printed = run_worker_printing(tmp_path, follow_ups=1)
    [notice] = messages_in(printed)
    assert notice["To"] == "guest@example.org"
    assert notice["Subject"].strip() == "New comment on “Orchard harvest comes early”"
    text = notice.get_body(preferencelist=("plain",)).get_content()
    assert "The cider press opens on Saturday." in text
    unsubscribe = notice["List-Unsubscribe"].strip()
    assert unsubscribe.startswith(f"<{DEMO_SITE}/subscriptions/unsubscribe/")
    assert OutboundEmail.objects.filter(status="sent").count() == 2
