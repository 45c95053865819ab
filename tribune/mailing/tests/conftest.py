"""Mailing fixtures: a real SMTP server on loopback and a real database worker."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Received:
    """One message as the server stored it, parsed from the raw DATA bytes."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: email.message.EmailMessage
    encrypted: bool = False
    authenticated: bool = False


@dataclass
class SMTPServer:
    """An aiosmtpd server that stores what it accepts; can be stopped and restarted.

    `on_rcpt` and `on_data` run (in a thread, so the server keeps serving other
    connections) before the server answers, so a test can stall or kill the
    client at exactly that step of the conversation. An exception in a hook
    makes the server answer 500. With `tls`, the server offers STARTTLS and
    requires it; with `credentials`, it requires AUTH (over TLS when both are
    set). `final_reply` replaces the answer to the end of data, and the message
    is then not stored. `refuse_rcpt` answers that many RCPT commands with a
    temporary refusal (451) before accepting.
    """

    port: int
    received: list[Received] = field(default_factory=list)
    on_rcpt: Callable[[], None] | None = None
    on_data: Callable[[], None] | None = None
    tls: ssl.SSLContext | None = None
    credentials: tuple[str, str] | None = None
    final_reply: str | None = None
    refuse_rcpt: int = 0
    refused: int = 0
    _controller: Controller | None = None

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and self.credentials == (
            data.login.decode(),
            data.password.decode(),
        )
        return AuthResult(success=ok, handled=False)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.on_rcpt is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.on_rcpt)
        if self.refused < self.refuse_rcpt:
            self.refused += 1
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        if self.final_reply is not None:
            return self.final_reply
        raw = bytes(envelope.original_content)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                raw,
                parsed,  # type: ignore[arg-type]
                encrypted=session.ssl is not None,
                authenticated=bool(session.authenticated),
            )
        )
        if self.on_data is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.on_data)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(
                self,
                hostname="127.0.0.1",
                port=self.port,
                ready_timeout=10,
                tls_context=self.tls,
                require_starttls=self.tls is not None,
                authenticator=self._authenticate if self.credentials else None,
                auth_required=self.credentials is not None,
                auth_require_tls=self.tls is not None,
            )
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def database_url() -> str:
    """The test database as a DATABASE_URL, for worker subprocesses."""
    from django.db import connection

    db = connection.settings_dict
    if "sqlite" in db["ENGINE"]:
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TribuneProcess(subprocess.Popen[bytes]):
    """A `tribune` subprocess whose output goes to files, not pipes: a pipe
    that no one reads while the test waits fills up (64 KB), and the process
    then blocks on its next log line, stopping neither its work nor on SIGTERM."""

    output_paths: tuple[Path, Path]

    def output(self) -> tuple[str, str]:
        """What it printed so far: standard output and standard error."""
        out, err = (p.read_bytes().decode(errors="replace") for p in self.output_paths)
        return out, err


def tribune_process(
    args: list[str],
    var_dir: Path,
    *,
    smtp: SMTPServer | None = None,
    redis_url: str | None = None,
    settings: str = "",
) -> TribuneProcess:
    """Start `tribune ARGS` on the test database with the dev settings.

    `settings` is Python appended to a settings module that imports the dev
    settings, for tunables the environment does not carry (short leases).
    """
    module = f"tribune_test_settings_{uuid.uuid4().hex[:8]}"
    Path(var_dir, f"{module}.py").write_text(
        f"from tribune.config.settings.dev import *  # noqa: F403\n{settings}\n"
    )
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    environ = {k: v for k, v in os.environ.items() if k in keep}
    environ.update(
        DJANGO_SETTINGS_MODULE=module,
        PYTHONPATH=f"{ROOT}{os.pathsep}{var_dir}",
        SECRET_KEY="worker-test-only",
        DATABASE_URL=database_url(),
        EMAIL_TIMEOUT="10",
        DEFAULT_FROM_EMAIL="newsroom@example.org",
        TRIBUNE_VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
    )
    if smtp is not None:
        environ["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp.port}"
    if redis_url is not None:
        environ["REDIS_URL"] = redis_url
        # With Redis, RQ's apps join INSTALLED_APPS; their tables must exist
        # before the worker's start-up check (core/startup.py) lets it run.
        subprocess.run(
            [sys.executable, "-m", "tribune", "migrate", "--verbosity", "0"],
            cwd=ROOT,
            env=environ,
            check=True,
            timeout=300,
        )
    paths = (var_dir / f"{module}.stdout", var_dir / f"{module}.stderr")
    with paths[0].open("wb") as stdout, paths[1].open("wb") as stderr:
        process = TribuneProcess(
            [sys.executable, "-m", "tribune", *args],
            cwd=ROOT,
            env=environ,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,  # its own group, so a stuck child dies with it
        )
    process.output_paths = paths
    return process


def stop_process(process: TribuneProcess) -> str:
    """Stop a process started by `tribune_process`; return its stderr.

    It must stop within 20 s of SIGTERM (a worker finishes its task). If it does
    not, the whole group is killed, so no child lingers to hold the test
    database, and the test fails with what the process printed.
    """
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            # Where it is stuck, before it goes: `tribune worker` prints every
            # thread's stack on SIGUSR1 (core_worker).
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGUSR1)
            time.sleep(1)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)
            pytest.fail(
                "did not stop within 20 s of SIGTERM:\n" + process.output()[1][-8000:]
            )
    try:
        process.wait(timeout=20)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # children it left behind
    return process.output()[1]


def wait_for(condition: Callable[[], bool], *, timeout: float) -> float:
    """Poll `condition` until it holds; return the seconds it took (or fail)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"not done within {timeout} s")
        time.sleep(0.1)
    return time.monotonic() - started


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer(port=free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_settings(settings: Any, smtp_server: SMTPServer) -> SMTPServer:
    """Django sends through the loopback server, and tasks go to the database queue."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Newsroom <newsroom@example.org>"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return smtp_server


@pytest.fixture
def run_worker() -> Callable[[], int]:
    """Run django_tasks_db's worker over every ready task, then return how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker

    def run() -> int:
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="pytest",
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks

    return run
