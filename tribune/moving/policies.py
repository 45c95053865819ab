"""Who may do what in the moving app."""

from __future__ import annotations

from typing import Any


def can_import(user: Any) -> bool:
    """Editors holding `moving.add_importrun` (Wagtail's Editors group) and
    superusers may start imports and watch them: an import writes pages,
    comments, reader accounts and redirects."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm("moving.add_importrun")
    )
