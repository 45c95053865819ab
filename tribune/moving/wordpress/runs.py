"""Running an import started from the admin: its progress and report (writes)."""

from __future__ import annotations

from pathlib import Path

from tribune.core import clock
from tribune.moving.models import ImportRun, RunState
from tribune.moving.wordpress.importer import import_wordpress


def execute_run(run_id: int) -> str:
    """Run a queued import, saving its progress as it goes; returns its state."""
    run = ImportRun.objects.get(pk=run_id)
    if run.state != RunState.QUEUED:
        return str(run.state)
    ImportRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING)
    shown = [-1]

    def progress(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if percent != shown[0]:
            shown[0] = percent
            ImportRun.objects.filter(pk=run.pk).update(done=done, total=total)

    path = Path(run.path)
    try:
        report = import_wordpress(path=path, dry_run=run.dry_run, progress=progress)
    finally:
        path.unlink(missing_ok=True)
    state = RunState.DONE if report.ok else RunState.FAILED
    ImportRun.objects.filter(pk=run.pk).update(
        state=state, report=report.render(), finished_at=clock.now()
    )
    return str(state)
