"""What a Disqus import did: counts by kind, a line for each thing skipped or noted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class ImportReport:
    counts: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def skip(self, line: str, *, posts: int = 1, kind: str = "posts skipped") -> None:
        self.skipped.append(line)
        self.counts[kind] += posts

    def lines(self) -> list[str]:
        head = [_("Disqus import (dry run: nothing was saved)")] if self.dry_run else []
        counts = [f"{kind}: {n}" for kind, n in sorted(self.counts.items())]
        skipped = [f"skipped {line}" for line in self.skipped]
        notes = [f"note {line}" for line in self.notes]
        return [*head, *counts, *skipped, *notes]
