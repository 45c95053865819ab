"""`tribune export_wordpress [-o FILE]`: the site as a WordPress (WXR 1.2) file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from tribune.moving.exports.wxr import export_wordpress
from tribune.moving.management.export_command import ExportCommand


class Command(ExportCommand):
    help = (
        "Write every report, page, author, series, topic and comment as a WordPress "
        "eXtended RSS 1.2 file. It holds commenters' emails and IP addresses: "
        "personal data, keep it safe."
    )
    label = "WXR"

    def export(self, out: TextIO, *, base_url: str) -> Mapping[str, int]:
        return export_wordpress(out, base_url=base_url)
