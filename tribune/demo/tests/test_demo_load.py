"""`tribune demo`: the admin sign-in is printed on every run and kept under var/."""

from __future__ import annotations

import io

import pytest

from tribune.config import env
from tribune.demo.management.commands import demo_load

pytestmark = pytest.mark.django_db


def _sign_in() -> str:
    out = io.StringIO()
    demo_load.Command(stdout=out)._admin()
    return out.getvalue()


def test_every_run_prints_the_sign_in_at_the_served_address(
    monkeypatch, tmp_path, settings
):
    monkeypatch.setattr(env, "VAR_DIR", tmp_path)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8101"
    first = _sign_in()
    kept = tmp_path / demo_load.LOGIN_FILE
    password = kept.read_text().strip()
    assert (
        f"Admin: http://127.0.0.1:8101/admin/  user 'admin'  password '{password}'"
        in first
    )
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    # A second `make run` shows it again instead of "unchanged".
    assert f"password '{password}'" in _sign_in()


def test_a_set_password_replaces_the_kept_one(monkeypatch, tmp_path, settings):
    monkeypatch.setattr(env, "VAR_DIR", tmp_path)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    _sign_in()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "chosen-by-the-operator")
    assert "password 'chosen-by-the-operator'" in _sign_in()
    assert (
        tmp_path / demo_load.LOGIN_FILE
    ).read_text().strip() == "chosen-by-the-operator"
