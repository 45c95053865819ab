"""Keeps a helper process running beside `tribune serve` (`tribune live`).

The process is started by the web server's main process and started again
whenever it exits while the web server runs (a crash, a kill by the
out-of-memory killer); for the live stream, browsers reconnect with
Last-Event-ID and miss nothing. A process that keeps dying is started again
at most every `most_often` seconds.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Sequence

logger = logging.getLogger(__name__)


class ProcessKeeper:
    def __init__(self, command: Sequence[str], most_often: float = 5.0) -> None:
        self.command = list(command)
        self.most_often = most_often
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.thread = threading.Thread(
            target=self._watch, name="process-keeper", daemon=True
        )

    def start(self) -> ProcessKeeper:
        self._start_process()
        self.thread.start()
        return self

    def _start_process(self) -> None:
        with self.lock:
            if self.stopping.is_set():
                return
            self.process = subprocess.Popen(self.command)  # noqa: S603 (our own command)
            self.starts += 1

    def _watch(self) -> None:
        while not self.stopping.is_set():
            process = self.process
            if process is None:
                return
            began = time.monotonic()
            code = process.wait()
            if self.stopping.is_set():
                return
            logger.warning("%s exited (%s); starting it again", self.command, code)
            # Not faster than every most_often seconds if it dies at once.
            self.stopping.wait(max(0.0, self.most_often - (time.monotonic() - began)))
            self._start_process()

    def stop(self, timeout: float = 10) -> None:
        with self.lock:
            self.stopping.set()
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
