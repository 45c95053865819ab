"""`tribune demo`: migrate, then load the demo newsroom and an admin user (idempotent)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tribune.config import env
from tribune.demo import (
    discussion_content,
    funding_content,
    import_content,
    inline_content,
    newsroom_content,
    subscriptions_content,
    supporters_content,
)
from tribune.newsroom import services as newsroom_services

ADMIN_USERNAME = "admin"
# The demo's sign-in, kept where a second `make run` can print it again.
LOGIN_FILE = "demo-login.txt"


class Command(BaseCommand):
    help = "Migrate and load the demo newsroom; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        newsroom = newsroom_content.load()
        newsroom_services.set_site_address(base_url=settings.WAGTAILADMIN_BASE_URL)
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
        self.stdout.write(
            f"Demo supporter badges: {supporters_content.load().comments} comments."
        )
        # Last: the imported report must not change which reports the others pick.
        imported = import_content.load()
        self.stdout.write(
            f"Demo WordPress import: {imported.reports} reports and pages, "
            f"{imported.comments} comments{' - ' + imported.error if imported.error else ''}."
        )
        self._admin()

    def _admin(self) -> None:
        user_model = get_user_model()
        password = env.get("DJANGO_SUPERUSER_PASSWORD")
        user = user_model.objects.filter(username=ADMIN_USERNAME).first()
        login_file = env.VAR_DIR / LOGIN_FILE
        if user is not None and not password:
            if not login_file.exists():
                self.stdout.write(
                    f"Admin user '{ADMIN_USERNAME}' exists; its password is unchanged "
                    "(set DJANGO_SUPERUSER_PASSWORD to reset it)."
                )
                return
            password = login_file.read_text().strip()
        else:
            password = password or secrets.token_urlsafe(12)
            if user is None:
                user_model.objects.create_superuser(
                    ADMIN_USERNAME, "admin@example.org", password
                )
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            # Readable by the operator alone, like the demo's secret key.
            login_file.parent.mkdir(parents=True, exist_ok=True)
            login_file.write_text(password + "\n")
            login_file.chmod(0o600)
        self.stdout.write(
            f"Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/  user '{ADMIN_USERNAME}'  "
            f"password '{password}'  (kept in {login_file})"
        )
