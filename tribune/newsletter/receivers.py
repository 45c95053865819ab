"""Receivers of other apps' signals; connected in NewsletterConfig.ready()."""

from __future__ import annotations

from typing import Any

from tribune.newsletter import services
from tribune.newsroom.models import ArticlePage


def report_published(sender: Any, *, instance: ArticlePage, **kwargs: Any) -> None:
    """Wagtail published a report (editor, scheduler or command): start its send."""
    services.announce_report(article=instance)


def address_erased(sender: Any, *, email: str, **kwargs: Any) -> None:
    """mailing.erase_address forgets an address: forget the subscriber too."""
    services.erase_subscriber(email=email)
