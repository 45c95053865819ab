"""The only module that reads the process environment; settings import from here."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("TRIBUNE_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get(name: str, default: str = "") -> str:
    """Return the variable's value, or the default when unset."""
    return os.environ.get(name, default)


def get_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no variable; anything but the usual spellings is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def get_int(name: str, default: int) -> int:
    """Read a whole number, or stop with a message naming the variable."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}."
        ) from None


def get_float(name: str, default: float) -> float:
    """Read a number (e.g. seconds), or stop with a message naming the variable."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.") from None


def with_timeouts(url: str, seconds: float) -> str:
    """A Redis URL whose connections give up after `seconds` (redis-py reads the
    timeouts from the query string); a timeout already in the URL is kept."""
    if "socket_timeout" in url:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}socket_connect_timeout={seconds}&socket_timeout={seconds}"


def make_var_dir() -> Path:
    """Create VAR_DIR if needed, or stop with one message naming it."""
    try:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = "not a folder" if VAR_DIR.exists() else exc.strerror or str(exc)
        raise ImproperlyConfigured(
            f"cannot create the data folder {VAR_DIR} (TRIBUNE_VAR_DIR): {reason}"
        ) from None
    return VAR_DIR


def get_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database(url_name: str = "DATABASE_URL") -> dict[str, Any]:
    """Database settings from DATABASE_URL; SQLite under var/ when it is unset."""
    url = os.environ.get(url_name, "")
    if not url:
        make_var_dir()
        return _sqlite(str(VAR_DIR / "tribune.sqlite3"))
    try:
        config = dict(
            dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        )
    except Exception as exc:
        raise ImproperlyConfigured(
            f"{url_name} is malformed ({exc}); set it like "
            "postgres://user:password@host:5432/name"
        ) from None
    if config.get("ENGINE") == "django.db.backends.sqlite3" and config.get("NAME"):
        return _sqlite(str(config["NAME"]))
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            f"{url_name} is malformed; set it like postgres://user:password@host:5432/name"
        )
    return config


def _sqlite(name: str) -> dict[str, Any]:
    return {
        # Django's backend, with writers queued on a lock (core/sqlite/base.py).
        "ENGINE": "tribune.core.sqlite",
        "NAME": name,
        # Opening a connection (PRAGMAs, functions) cost a POST about a tenth
        # of its time: each server thread keeps its own.
        "CONN_MAX_AGE": 600,
        # WAL lets readers work while the worker writes.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def base_url() -> str:
    """The site's public address: BASE_URL, or else where `tribune serve` listens.

    One address for every absolute link (pages, feeds, sitemap, mail, API), so
    `make run PORT=8101` links to port 8101 everywhere.
    """
    configured = os.environ.get("BASE_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    host, _, port = os.environ.get("TRIBUNE_BIND", "127.0.0.1:8000").rpartition(":")
    # A server listening on every interface is reached on this machine at loopback.
    if host in {"", "0.0.0.0", "[::]", "::"}:  # noqa: S104
        host = "127.0.0.1"
    return f"http://{host}:{port or 8000}"


def demo_secret_key() -> str:
    """The demo's own secret, made once and kept in var/ so sessions survive."""
    path = VAR_DIR / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    make_var_dir()
    key = secrets.token_urlsafe(50)
    try:
        path.write_text(key)
        path.chmod(0o600)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"cannot write {path}: {exc.strerror or exc}"
        ) from None
    return key


def required(name: str, hint: str) -> str:
    """A value production cannot start without."""
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: {hint}")
    return value


_EMAIL_SCHEMES = {
    # scheme: (use_tls, use_ssl, default port)
    "smtp": (False, False, 25),
    "smtp+tls": (True, False, 587),
    "smtp+ssl": (False, True, 465),
}
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
_FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def email() -> dict[str, Any]:
    """Mail settings from EMAIL_URL or EMAIL_HOST and friends; console mail otherwise.

    EMAIL_URL is smtp://user:pass@host:port (plain, port 25), smtp+tls://
    (STARTTLS, 587), smtp+ssl:// (implicit TLS, 465) or console:// (every mail
    printed in full). Unset, mail is written quietly to files under var/mail/.
    """
    url = os.environ.get("EMAIL_URL", "")
    host = os.environ.get("EMAIL_HOST", "")
    timeout = get_int("EMAIL_TIMEOUT", 30)
    if url and host:
        raise ImproperlyConfigured("Set EMAIL_URL or EMAIL_HOST, not both.")
    if url:
        return _email_from_url(url, timeout)
    if not host:
        return {
            "EMAIL_BACKEND": _FILE_BACKEND,
            "EMAIL_FILE_PATH": str(VAR_DIR / "mail"),
        }
    use_tls = get_bool("EMAIL_USE_TLS", False)
    use_ssl = get_bool("EMAIL_USE_SSL", False)
    if use_tls and use_ssl:
        raise ImproperlyConfigured(
            "EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other."
        )
    default_port = 465 if use_ssl else 587 if use_tls else 25
    return {
        "EMAIL_BACKEND": _SMTP_BACKEND,
        "EMAIL_HOST": host,
        "EMAIL_PORT": get_int("EMAIL_PORT", default_port),
        "EMAIL_HOST_USER": os.environ.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": timeout,
    }


def _email_from_url(url: str, timeout: int) -> dict[str, Any]:
    hint = "set it like smtp+tls://user:password@mail.example.org:587 or console://"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": _CONSOLE_BACKEND}
    if scheme not in _EMAIL_SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(f"EMAIL_URL is malformed; {hint}")
    use_tls, use_ssl, default_port = _EMAIL_SCHEMES[scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise ImproperlyConfigured(f"EMAIL_URL has a bad port; {hint}") from None
    return {
        "EMAIL_BACKEND": _SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": timeout,
    }
