"""Settings of the moving app (MOVING_*), with their defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def series_categories() -> list[str] | None:
    """Slugs of the WordPress categories that become series; None: all of them.

    A post goes under the first of its categories that is a series (or under
    the default series); its other categories become topics, like its tags.
    """
    value = _get("MOVING_WORDPRESS_SERIES_CATEGORIES", None)
    return None if value is None else [str(v) for v in value]


def default_series() -> tuple[str, str]:
    """(slug, title) of the series for posts in no series category."""
    slug, title = _get("MOVING_WORDPRESS_DEFAULT_SERIES", ("archive", "Archive"))
    return str(slug), str(title)


def pages_series() -> tuple[str, str]:
    """(slug, title) of the series that holds the site's pages."""
    slug, title = _get("MOVING_WORDPRESS_PAGES_SERIES", ("pages", "Pages"))
    return str(slug), str(title)


def keep_pingbacks() -> bool:
    """Import pingbacks and trackbacks as comments (default: skip them)."""
    return bool(_get("MOVING_WORDPRESS_KEEP_PINGBACKS", False))


def upload_limit() -> int:
    """Largest export the admin form takes, in bytes (bigger: the command line)."""
    return int(_get("MOVING_UPLOAD_LIMIT", 50 * 1024 * 1024))


def uploads_max_bytes() -> int:
    """Largest zip of wp-content/uploads the admin form takes, and the most its
    files may hold unpacked, in bytes (bigger: `--uploads` on the command line)."""
    return int(_get("MOVING_UPLOADS_MAX_BYTES", 1024 * 1024 * 1024))


def uploads_max_files() -> int:
    """Most files a zip of wp-content/uploads may hold."""
    return int(_get("MOVING_UPLOADS_MAX_FILES", 20_000))


def uploads_max_ratio() -> int:
    """Highest compression ratio of one file in the zip: pictures, audio, video
    and PDF barely compress, while zip bombs reach 1000:1 and more."""
    return int(_get("MOVING_UPLOADS_MAX_RATIO", 100))


def import_folder() -> Path:
    """Where files uploaded in the admin wait for their task (and an uploads zip
    is unpacked): private, not under the media folder."""
    folder = Path(_get("MOVING_IMPORT_DIR", Path(settings.VAR_DIR) / "imports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
