"""System checks for what Django's own deploy checks cannot know about Tribune."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Backends that keep mail on this machine: fine for the demo, nobody gets it.
LOCAL_MAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def check_mail_is_delivered(**kwargs: Any) -> list[Warning]:
    """In production, mail printed or written to files reaches nobody."""
    if settings.EMAIL_BACKEND not in LOCAL_MAIL:
        return []
    return [
        Warning(
            "Mail is printed or written to files on this machine, so "
            "confirmations and notifications reach nobody.",
            hint="Set EMAIL_URL (e.g. smtp+tls://user:password@mail.example.org:587).",
            id="tribune.W001",
        )
    ]
