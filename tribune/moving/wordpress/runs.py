"""Running an import started from the admin: its progress and report (writes)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tribune.core import clock
from tribune.moving import archives, conf
from tribune.moving.disqus.importer import import_disqus
from tribune.moving.disqus.reader import DisqusReadError
from tribune.moving.models import ImportRun, RunState, Source
from tribune.moving.wordpress.forms import limits
from tribune.moving.wordpress.importer import Progress, import_wordpress


def _wordpress(run: ImportRun, progress: Progress) -> tuple[bool, str]:
    subscriptions = Path(run.subscriptions_path) if run.subscriptions_path else None
    if not run.uploads_path:
        report = import_wordpress(
            path=Path(run.path),
            subscriptions=subscriptions,
            dry_run=run.dry_run,
            progress=progress,
        )
        return report.ok, report.render()
    # Unpacked next to the waiting uploads, removed whatever happens.
    folder = Path(tempfile.mkdtemp(prefix="uploads-", dir=conf.import_folder()))
    try:
        try:
            uploads = archives.extract(Path(run.uploads_path), folder, limits())
        except (archives.UnsafeArchiveError, OSError) as error:
            return (
                False,
                f"The uploads zip is refused: {error}. Nothing was imported.\n",
            )
        report = import_wordpress(
            path=Path(run.path),
            uploads=uploads,
            subscriptions=subscriptions,
            dry_run=run.dry_run,
            progress=progress,
        )
        return report.ok, report.render()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _disqus(run: ImportRun, progress: Progress) -> tuple[bool, str]:
    try:
        report = import_disqus(Path(run.path), dry_run=run.dry_run, progress=progress)
    except DisqusReadError as error:
        return False, f"{run.file_name}: {error}. Nothing was imported.\n"
    return True, "\n".join(report.lines()) + "\n"


def execute_run(run_id: int) -> str:
    """Run a queued import, saving its progress as it goes; returns its state.
    The uploaded files are deleted once it ran."""
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

    try:
        if run.source == Source.DISQUS:
            ok, text = _disqus(run, progress)
        else:
            ok, text = _wordpress(run, progress)
    finally:
        for kept in (run.path, run.uploads_path, run.subscriptions_path):
            if kept:
                Path(kept).unlink(missing_ok=True)
    state = RunState.DONE if ok else RunState.FAILED
    ImportRun.objects.filter(pk=run.pk).update(
        state=state, report=text, finished_at=clock.now()
    )
    return str(state)
