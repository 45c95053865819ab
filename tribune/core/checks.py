"""System checks for what Django's own deploy checks cannot know about Tribune."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

CONSOLE_MAIL = "django.core.mail.backends.console.EmailBackend"


@register(Tags.security, deploy=True)
def check_mail_is_delivered(**kwargs: Any) -> list[Warning]:
    """In production, mail printed to the console reaches nobody."""
    if settings.EMAIL_BACKEND != CONSOLE_MAIL:
        return []
    return [
        Warning(
            "Mail is printed to the console, so confirmations and notifications "
            "reach nobody.",
            hint="Set EMAIL_URL (e.g. smtp+tls://user:password@mail.example.org:587).",
            id="tribune.W001",
        )
    ]
