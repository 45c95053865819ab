"""What an import did: counts by kind, and every skipped thing with its reason."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Line:
    kind: str
    legacy_id: str
    reason: str


@dataclass
class Report:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    skipped: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    error: str = ""
    dry_run: bool = False

    def count(self, kind: str, outcome: str) -> None:
        {"created": self.created, "updated": self.updated}.get(outcome, self.unchanged)[
            kind
        ] += 1

    def skip(self, kind: str, legacy_id: str, reason: str) -> None:
        self.skipped.append(Line(kind, str(legacy_id), reason))

    def note(self, kind: str, legacy_id: str, reason: str) -> None:
        self.notes.append(Line(kind, str(legacy_id), reason))

    @property
    def ok(self) -> bool:
        return not self.error

    def render(self) -> str:
        """The report as plain text (the command prints it, the form shows it)."""
        out = [
            _("WordPress import (dry run: nothing saved)")
            if self.dry_run
            else _("WordPress import")
        ]
        if self.error:
            out.append(_("Failed: %(error)s") % {"error": self.error})
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        for kind in kinds:
            out.append(
                _("%(kind)s: %(new)d new, %(changed)d updated, %(same)d unchanged")
                % {
                    "kind": kind,
                    "new": self.created[kind],
                    "changed": self.updated[kind],
                    "same": self.unchanged[kind],
                }
            )
        if self.skipped:
            out.append(_("Skipped (%(n)d):") % {"n": len(self.skipped)})
            out += [f"  {s.kind} {s.legacy_id}: {s.reason}" for s in self.skipped]
        if self.notes:
            out.append(_("To look at (%(n)d):") % {"n": len(self.notes)})
            out += [f"  {s.kind} {s.legacy_id}: {s.reason}" for s in self.notes]
        return "\n".join(out) + "\n"

    def write(self, path: Path) -> None:
        path.write_text(self.render(), encoding="utf-8")
