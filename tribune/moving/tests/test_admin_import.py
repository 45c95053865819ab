"""The admin's WordPress upload: the form, the task, the progress page and JSON."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from tribune.moving.models import ImportRun, RunState
from tribune.newsroom.models import ArticlePage

EXPORT = Path(__file__).resolve().parents[1] / "data" / "riverside-wordpress.xml"
URL = "/admin/import/wordpress/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def imports_dir(settings: Any, tmp_path: Path) -> Path:
    settings.MOVING_IMPORT_DIR = tmp_path / "imports"
    return settings.MOVING_IMPORT_DIR


def _superuser(client: Any) -> Any:
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "x")
    client.force_login(user)
    return user


def _upload(name: str = "export.xml", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EXPORT.read_bytes() if data is None else data)


def test_an_upload_imports_as_a_task_and_shows_its_report(
    home: Any, client: Any, imports_dir: Path
) -> None:
    _superuser(client)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"export": _upload()})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}{run.pk}/"
    # The test settings run tasks at once (ImmediateBackend).
    assert run.state == RunState.DONE and run.percent == 100
    assert (run.done, run.total) == (2, 2)
    assert ArticlePage.objects.filter(slug="old-ferry-runs-again").exists()
    assert not list(imports_dir.iterdir())  # the uploaded copy is gone
    page = client.get(f"{URL}{run.pk}/")
    assert b"post: 1 new" in page.content and b'value="100"' in page.content
    progress = client.get(f"{URL}{run.pk}/progress/").json()
    assert progress == {
        "state": "done",
        "done": 2,
        "total": 2,
        "percent": 100,
        "finished": True,
    }
    assert client.get(f"{URL}999/progress/").status_code == 404


def test_a_broken_upload_fails_with_its_reason(
    home: Any, client: Any, imports_dir: Path
) -> None:
    _superuser(client)
    client.post(URL, {"export": _upload(data=b"<rss><channel><item>")})
    run = ImportRun.objects.get()
    assert run.state == RunState.FAILED
    assert "not well-formed XML" in client.get(f"{URL}{run.pk}/").content.decode()


def test_a_dry_run_upload_keeps_nothing(
    home: Any, client: Any, imports_dir: Path
) -> None:
    _superuser(client)
    client.post(URL, {"export": _upload(), "dry_run": "on"})
    assert ImportRun.objects.get().state == RunState.DONE
    assert not ArticlePage.objects.exists()


def test_a_file_over_the_limit_is_refused_at_the_form(
    home: Any, client: Any, settings: Any, imports_dir: Path
) -> None:
    settings.MOVING_UPLOAD_LIMIT = 1000
    _superuser(client)
    response = client.post(URL, {"export": _upload()})
    assert response.status_code == 200
    assert "tribune import_wordpress" in response.content.decode()
    assert not ImportRun.objects.exists()


def _editors_group() -> Any:
    """Wagtail's Editors group with what migration moving 0003 grants it. A
    transactional test run earlier in this process flushes the migrations' rows
    (flushing recreates permissions, not groups), so the test makes it again."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    migration = importlib.import_module(
        "tribune.moving.migrations.0003_import_run_files"
    )
    migration.let_editors_import(apps, None)
    return group


def test_editors_import_and_others_are_refused(
    home: Any, client: Any, imports_dir: Path
) -> None:
    from django.contrib.auth.models import Permission

    users = get_user_model().objects
    staff = users.create_user("staff", "staff@example.org", "x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    # Wagtail's admin answers a refusal with a redirect to the dashboard.
    for response in (
        client.get(URL),
        client.post(URL, {"export": _upload()}),
        client.get(f"{URL}1/progress/"),
        client.get("/admin/import/disqus/"),
    ):
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    reader = users.create_user("reader", "reader@example.org", "x")
    client.force_login(reader)
    assert client.get(URL)["Location"].startswith("/admin/login/")
    client.logout()
    assert client.get(URL)["Location"].startswith("/admin/login/")
    assert client.get(f"{URL}1/progress/")["Location"].startswith("/admin/login/")
    assert not ImportRun.objects.exists()
    editor = users.create_user("ed", "ed@example.org", "x")
    editor.groups.add(_editors_group())
    client.force_login(editor)
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"export": _upload()}).status_code == 302
    assert ImportRun.objects.get().state == RunState.DONE


def test_the_progress_page_and_json_take_few_queries(
    home: Any, client: Any, imports_dir: Path, django_assert_num_queries: Any
) -> None:
    _superuser(client)
    client.post(URL, {"export": _upload(), "dry_run": "on"})
    run = ImportRun.objects.get()
    client.get(f"{URL}{run.pk}/")  # warm Wagtail's per-process caches
    with django_assert_num_queries(4):  # session, user, its Wagtail profile, run
        client.get(f"{URL}{run.pk}/progress/")
    with django_assert_num_queries(7):  # the same, and the admin menu's checks
        client.get(f"{URL}{run.pk}/")
