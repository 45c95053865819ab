"""Who may do what with a report's newsletter."""

from __future__ import annotations

from typing import Any

from tribune.newsroom.models import ArticlePage


def can_preview(user: Any, article: ArticlePage) -> bool:
    """Editors who may edit the report see its mail and may mail themselves a test."""
    return bool(user.is_authenticated and article.permissions_for_user(user).can_edit())


def can_send_correction(user: Any, article: ArticlePage) -> bool:
    """Sending to every subscriber takes the right to publish the report."""
    return bool(
        user.is_authenticated and article.permissions_for_user(user).can_publish()
    )
