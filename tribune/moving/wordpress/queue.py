"""Starting an import from the admin: keep the uploaded files, queue the task."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile

from tribune.moving import conf, tasks
from tribune.moving.models import ImportRun, Source


def _keep(upload: UploadedFile | None, suffix: str) -> str:
    if upload is None:
        return ""
    # A name of our own: the uploaded name is only shown, never used as a path.
    path = conf.import_folder() / f"{uuid.uuid4().hex}{suffix}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return str(path)


def start_run(
    *,
    upload: UploadedFile,
    dry_run: bool,
    user: AbstractBaseUser | AnonymousUser | None,
    source: str = Source.WORDPRESS,
    uploads: UploadedFile | None = None,
    subscriptions: UploadedFile | None = None,
) -> ImportRun:
    """Keep the uploaded files and queue their import; returns the run to watch."""
    subscriptions_suffix = (
        ".sql"
        if (subscriptions and str(subscriptions.name).lower().endswith(".sql"))
        else ".csv"
    )
    run = ImportRun.objects.create(
        user=user if isinstance(user, User) else None,
        source=source,
        file_name=(upload.name or "export.xml")[:255],
        path=_keep(upload, ".xml"),
        uploads_path=_keep(uploads, ".zip"),
        subscriptions_path=_keep(subscriptions, subscriptions_suffix),
        dry_run=dry_run,
    )
    tasks.import_wordpress_run.enqueue(run.pk)
    return run
