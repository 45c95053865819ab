"""`tribune demo`: migrate, then load the demo newsroom and an admin user (idempotent)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tribune.config import env
from tribune.demo import (
    discussion_content,
    funding_content,
    inline_content,
    newsroom_content,
    subscriptions_content,
)

ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Migrate and load the demo newsroom; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        newsroom = newsroom_content.load()
        # Wagtail indexes in background tasks; the demo must be searchable at once.
        call_command("update_index", verbosity=0)
        self.stdout.write(f"Demo newsroom: {len(newsroom.articles)} reports.")
        self.stdout.write(
            f"Demo funding: {funding_content.load().donations} donations."
        )
        self.stdout.write(
            f"Demo discussion: {discussion_content.load().comments} comments."
        )
        self.stdout.write(
            f"Demo inline feedback: {inline_content.load().comments} comments."
        )
        self.stdout.write(
            f"Demo subscriptions: {subscriptions_content.load().subscriptions}."
        )
        self._admin()

    def _admin(self) -> None:
        user_model = get_user_model()
        password = env.get("DJANGO_SUPERUSER_PASSWORD")
        user = user_model.objects.filter(username=ADMIN_USERNAME).first()
        if user is not None and not password:
            self.stdout.write(
                f"Admin user '{ADMIN_USERNAME}' exists; its password is unchanged "
                "(set DJANGO_SUPERUSER_PASSWORD to reset it)."
            )
            return
        password = password or secrets.token_urlsafe(12)
        if user is None:
            user_model.objects.create_superuser(
                ADMIN_USERNAME, "admin@example.org", password
            )
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        self.stdout.write(
            f"Admin: http://127.0.0.1:8000/admin/  user '{ADMIN_USERNAME}'  password '{password}'"
        )
