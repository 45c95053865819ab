"""Demo import: a small WordPress + wpDiscuz export, so a newcomer sees one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tribune.moving.wordpress.importer import import_wordpress
from tribune.newsroom.models import ArticlePage

# An original export written for Tribune (not a real outlet's), with wpDiscuz votes,
# an edited reply, inline feedback and subscriptions.
DATA = Path(__file__).resolve().parents[1] / "moving" / "data"
EXPORT = DATA / "riverside-wordpress.xml"
SUBSCRIPTIONS = DATA / "riverside-subscriptions.csv"


@dataclass
class DemoImport:
    reports: int
    comments: int
    error: str = ""


def load() -> DemoImport:
    """Import the demo export; later runs find everything unchanged."""
    report = import_wordpress(path=EXPORT, subscriptions=SUBSCRIPTIONS)
    # The export pins its ferry story from March (WordPress's sticky list, which the
    # import keeps); the demo's front page leads with today's news instead.
    ArticlePage.objects.filter(pinned=True).update(pinned=False)
    reports = sum(
        counter[kind]
        for counter in (report.created, report.updated, report.unchanged)
        for kind in ("post", "page")
    )
    comments = sum(
        counter["comment"]
        for counter in (report.created, report.updated, report.unchanged)
    )
    return DemoImport(reports, comments, report.error)
