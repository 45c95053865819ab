"""`tribune export_json [-o FILE]`: everything the site holds, as documented JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from tribune.moving.exports.json_export import export_json
from tribune.moving.management.export_command import ExportCommand


class Command(ExportCommand):
    help = (
        "Write everything (reports, pages, authors, topics, comments with vote "
        "counts, subscriptions, campaigns and the donation ledger) as one JSON file "
        "that follows the schema in docs/reference/export-json.md. It holds emails "
        "and IP addresses: personal data, keep it safe."
    )
    label = "JSON"

    def export(self, out: TextIO, *, base_url: str) -> Mapping[str, int]:
        return export_json(out, base_url=base_url)
