"""Starting an import from the admin: keep the uploaded file, queue the task."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile

from tribune.moving import tasks
from tribune.moving.models import ImportRun


def import_folder() -> Path:
    """Where uploaded exports wait for their task: private, not under media."""
    folder = Path(
        getattr(settings, "MOVING_IMPORT_DIR", Path(settings.VAR_DIR) / "imports")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start_run(
    *,
    upload: UploadedFile,
    dry_run: bool,
    user: AbstractBaseUser | AnonymousUser | None,
) -> ImportRun:
    """Keep the uploaded export and queue its import; returns the run to watch."""
    path = import_folder() / f"{uuid.uuid4().hex}.xml"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    run = ImportRun.objects.create(
        user=user if isinstance(user, User) else None,
        file_name=(upload.name or "export.xml")[:255],
        path=str(path),
        dry_run=dry_run,
    )
    tasks.import_wordpress_run.enqueue(run.pk)
    return run
