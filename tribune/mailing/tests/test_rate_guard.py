"""The per-address rate guard holds under 20 parallel requests: one mail arrives."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from tribune.mailing import services
from tribune.mailing.models import OutboundEmail, SendAllowance
from tribune.mailing.tests.conftest import SMTPServer

pytestmark = pytest.mark.django_db(transaction=True)
PARALLEL = 20


def _request_confirmation(n: int) -> bool:
    """What a subscribe view does: ask the guard, then queue the mail."""
    if not services.allow_send(email="Target@Example.org", purpose="confirm"):
        return False
    services.queue_email(
        to="target@example.org",
        subject="Confirm your subscription",
        text=f"Request {n}: confirm by clicking the link.",
        dedupe_key=f"confirm:{n}",
    )
    return True


def test_twenty_parallel_requests_send_one_confirmation(
    smtp_settings: SMTPServer, run_worker: Callable[[], int]
) -> None:
    start = threading.Barrier(PARALLEL)
    results: list[bool] = []
    errors: list[BaseException] = []

    def request(n: int) -> None:
        try:
            start.wait()
            results.append(_request_confirmation(n))
        except BaseException as exc:  # a failed request must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [False] * (PARALLEL - 1) + [True]
    assert OutboundEmail.objects.count() == 1
    assert SendAllowance.objects.count() == 1
    run_worker()
    assert [r.rcpt_tos for r in smtp_settings.received] == [["target@example.org"]]


def test_parallel_requests_after_the_window_get_one_more(
    smtp_settings: SMTPServer,
) -> None:
    """An expired allowance is renewed by exactly one of the racers."""
    assert services.allow_send(email="t@example.org", purpose="confirm", per=3600)
    SendAllowance.objects.update(granted_at="2020-01-01T00:00:00Z")
    start = threading.Barrier(PARALLEL)
    results: list[bool] = []

    def request() -> None:
        try:
            start.wait()
            results.append(
                services.allow_send(email="t@example.org", purpose="confirm")
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
    assert len(results) == PARALLEL
