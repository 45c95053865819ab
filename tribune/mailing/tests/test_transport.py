"""The SMTP conversation: STARTTLS with a verified certificate, AUTH, and how each
kind of refusal is classified (retry, give up)."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tribune.mailing.models import OutboundEmail
from tribune.mailing.tests.conftest import SMTPServer
from tribune.mailing.tests.factories import queued_email

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutboundEmail.Status


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with openssl."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    args = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    args += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
    args += ["-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run(["openssl", *args], check=True, capture_output=True)
    return cert, key


@pytest.fixture
def secure_server(
    smtp_settings: SMTPServer,
    settings: Any,
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> SMTPServer:
    """The loopback server with STARTTLS and AUTH required, as a real relay is."""
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    smtp_settings.stop()
    smtp_settings.tls = context
    smtp_settings.credentials = ("tribune", "s3cret pass")
    smtp_settings.start()
    # Django's client verifies the certificate against the default CA file.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    settings.EMAIL_USE_TLS = True
    settings.EMAIL_HOST_USER = "tribune"
    settings.EMAIL_HOST_PASSWORD = "s3cret pass"
    return smtp_settings


def test_mail_goes_over_starttls_with_login(
    secure_server: SMTPServer, run_worker: Callable[[], int]
) -> None:
    email = queued_email()
    run_worker()
    [received] = secure_server.received
    assert (received.encrypted, received.authenticated) == (True, True)
    email.refresh_from_db()
    assert email.status == Status.SENT


def test_a_wrong_password_is_retried_not_lost(
    secure_server: SMTPServer, run_worker: Callable[[], int], settings: Any
) -> None:
    settings.EMAIL_HOST_PASSWORD = "old password"
    email = queued_email()
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.QUEUED, 1)
    assert "SMTPAuthenticationError" in email.last_error
    assert secure_server.received == []


def test_an_untrusted_certificate_stops_the_mail(
    secure_server: SMTPServer,
    run_worker: Callable[[], int],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    empty = tmp_path / "no-ca.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    email = queued_email()
    run_worker()
    email.refresh_from_db()
    assert email.status == Status.QUEUED
    assert "SSLCertVerificationError" in email.last_error
    assert secure_server.received == []


def test_a_temporary_refusal_at_the_end_of_data_is_retried(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    smtp_settings.final_reply = "451 4.3.0 Mailbox busy, try later"
    email = queued_email()
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.QUEUED, 1)
    assert email.last_error == "451 4.3.0 Mailbox busy, try later"
    # A refusal is an answer: the hand-over happened and nothing is unknown.
    assert email.handed_over_at is not None


def test_a_permanent_refusal_at_the_end_of_data_fails_at_once(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    smtp_settings.final_reply = "554 5.7.1 Message rejected as spam"
    email = queued_email()
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    assert email.last_error.startswith("554")
