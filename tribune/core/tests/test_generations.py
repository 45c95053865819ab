"""Generation numbers: read once per request, fresh outside requests and after
the request's own advances."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from tribune.core import generations

# request_started runs Django's close_old_connections, which asks an open
# connection (left by an earlier test of this worker) about itself.
pytestmark = pytest.mark.django_db

KEY = "test:generation"


def _other_process_advances() -> None:
    """What another process's advance does to the shared cache."""
    cache.incr(KEY)


def test_a_request_reads_each_number_once_and_sees_its_own_advances() -> None:
    start = generations.current(KEY)
    assert start is not None
    request_started.send(sender=None)
    try:
        assert generations.current(KEY) == start
        _other_process_advances()
        # The request keeps working from the copies of its first lookup.
        assert generations.current(KEY) == start
        generations.advance(KEY)
        assert generations.current(KEY) == start + 2
    finally:
        request_finished.send(sender=None)
    _other_process_advances()
    assert generations.current(KEY) == start + 3


def test_outside_a_request_every_lookup_reads() -> None:
    start = generations.current(KEY)
    assert start is not None
    _other_process_advances()
    assert generations.current(KEY) == start + 1


def test_the_next_request_reads_again() -> None:
    request_started.send(sender=None)
    first = generations.current(KEY)
    request_finished.send(sender=None)
    assert first is not None
    _other_process_advances()
    request_started.send(sender=None)
    try:
        assert generations.current(KEY) == first + 1
    finally:
        request_finished.send(sender=None)
