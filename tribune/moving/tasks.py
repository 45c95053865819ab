"""Background tasks of the moving app."""

from __future__ import annotations

from django_tasks import task

from tribune.moving.wordpress import runs


@task()
def import_wordpress_run(run_id: int) -> str:
    """Import an export uploaded in the admin (see runs.execute_run)."""
    return runs.execute_run(run_id)
