"""Settings read from the environment fail early with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tribune.config import env

ROOT = Path(__file__).resolve().parents[3]


def _run_tribune(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    unset = {"SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_URL"}
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    environ.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "tribune", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_database_defaults_to_sqlite_under_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.database()
    assert config["ENGINE"] == "tribune.core.sqlite"
    assert str(config["NAME"]).endswith("tribune.sqlite3")


def test_postgres_url_selects_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://news:pw@db.internal:5433/tribune")
    config = env.database()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == (
        "db.internal",
        5433,
        "tribune",
    )


@pytest.mark.parametrize("url", ["nonsense", "postgres://", "mysqlx://host/db"])
def test_malformed_database_url_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL is malformed"):
        env.database()


def test_bad_boolean_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env.get_bool("DEBUG")


def test_demo_secret_is_created_once_and_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(env, "VAR_DIR", tmp_path)
    first = env.demo_secret_key()
    assert len(first) > 40
    assert env.demo_secret_key() == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_production_without_secret_stops_with_one_clear_line() -> None:
    result = _run_tribune(
        "check", DJANGO_SETTINGS_MODULE="tribune.config.settings.production"
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("tribune: SECRET_KEY is not set")


def test_malformed_database_url_stops_start_up() -> None:
    result = _run_tribune("check", DATABASE_URL="postgres://")
    assert result.returncode == 2
    assert "DATABASE_URL is malformed" in result.stderr
    assert "Traceback" not in result.stderr


def test_deploy_check_with_production_settings_has_no_warnings() -> None:
    result = _run_tribune(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="tribune.config.settings.production",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="news.example.org",
        EMAIL_URL="smtp+tls://news:secret@mail.example.org:587",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_when_mail_would_only_be_printed() -> None:
    result = _run_tribune(
        "check",
        "--deploy",
        DJANGO_SETTINGS_MODULE="tribune.config.settings.production",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="news.example.org",
    )
    assert "tribune.W001" in result.stderr + result.stdout
    assert "EMAIL_URL" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"TRIBUNE_BIND": "127.0.0.1:8101"}, "http://127.0.0.1:8101"),
        ({"TRIBUNE_BIND": "0.0.0.0:9000"}, "http://127.0.0.1:9000"),
        (
            {"TRIBUNE_BIND": "127.0.0.1:8101", "BASE_URL": "https://news.example/"},
            "https://news.example",
        ),
    ],
)
def test_base_url_follows_where_the_site_is_served(monkeypatch, environ, expected):
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.delenv("TRIBUNE_BIND", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert env.base_url() == expected
