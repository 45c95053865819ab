"""The site's templates compose the apps' templates; they never replace one of them."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings

SITE_TEMPLATES = Path(settings.BASE_DIR) / "tribune" / "templates"


def _names(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_no_site_template_shadows_an_app_template_of_the_same_name() -> None:
    site = _names(SITE_TEMPLATES)
    shadowed = []
    for config in apps.get_app_configs():
        root = Path(config.path) / "templates"
        if config.name.startswith("tribune.") and root.is_dir():
            shadowed += [f"{config.label}: {n}" for n in sorted(site & _names(root))]
    assert shadowed == []
