"""EMAIL_URL and EMAIL_HOST become Django's mail settings; bad values stop start-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from tribune.config import env

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [
        "EMAIL_URL",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
        "EMAIL_TIMEOUT",
    ]:
        monkeypatch.delenv(name, raising=False)


def test_without_configuration_mail_goes_quietly_to_files_under_var() -> None:
    assert env.email() == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(env.VAR_DIR / "mail"),
    }


def test_console_url_selects_the_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_URL", "console://")
    assert env.email() == {"EMAIL_BACKEND": CONSOLE}


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://mail.example.org", 25, False, False),
        ("smtp+tls://mail.example.org", 587, True, False),
        ("smtp+ssl://mail.example.org", 465, False, True),
        ("smtp+tls://mail.example.org:2525", 2525, True, False),
    ],
)
def test_smtp_urls_set_port_and_encryption(
    monkeypatch: pytest.MonkeyPatch, url: str, port: int, tls: bool, ssl: bool
) -> None:
    monkeypatch.setenv("EMAIL_URL", url)
    config = env.email()
    assert config["EMAIL_BACKEND"] == SMTP
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("mail.example.org", port)
    assert (config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (tls, ssl)


def test_credentials_in_the_url_are_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://news%40example.org:p%2Fss%3Aw@mx:587")
    config = env.email()
    assert config["EMAIL_HOST_USER"] == "news@example.org"
    assert config["EMAIL_HOST_PASSWORD"] == "p/ss:w"


def test_host_variables_are_the_alternative(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_HOST", "relay.internal")
    monkeypatch.setenv("EMAIL_USE_TLS", "true")
    monkeypatch.setenv("EMAIL_HOST_USER", "tribune")
    monkeypatch.setenv("EMAIL_HOST_PASSWORD", "secret")
    monkeypatch.setenv("EMAIL_TIMEOUT", "12")
    config = env.email()
    assert config["EMAIL_BACKEND"] == SMTP
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_USER"] == "tribune"
    assert config["EMAIL_TIMEOUT"] == 12


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"EMAIL_URL": "smtp://a", "EMAIL_HOST": "b"}, "not both"),
        ({"EMAIL_URL": "imap://mail.example.org"}, "EMAIL_URL is malformed"),
        ({"EMAIL_URL": "smtp://"}, "EMAIL_URL is malformed"),
        ({"EMAIL_URL": "smtp://mx:port"}, "bad port"),
        (
            {"EMAIL_HOST": "mx", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"},
            "exclude each other",
        ),
        ({"EMAIL_HOST": "mx", "EMAIL_PORT": "smtp"}, "EMAIL_PORT must be a whole"),
    ],
)
def test_bad_mail_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], message: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        env.email()
