"""RQ runs each task in a forked child of the worker, while the worker's clock
thread may be delivering due mail under the in-flight lock."""

from __future__ import annotations

import os

from tribune.mailing import delivery


def test_a_task_forked_while_the_clock_sends_can_send() -> None:
    with delivery._ONE_IN_FLIGHT:  # the clock thread, mid-send
        child = os.fork()
        if child == 0:  # the task's process: only this thread exists here
            took = delivery._ONE_IN_FLIGHT.acquire(timeout=2)
            os._exit(0 if took else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the forked task waited forever"
