"""One command run as a child, timed, with its peak memory: what the import and
export benchmarks (import_large.py, export_media.py) report."""

from __future__ import annotations

import os
import resource
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_measured(
    command: list[str],
) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """The finished command, its seconds, and the children's peak RSS in MiB."""
    started = time.monotonic()
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=os.environ.copy(),
        check=False,
        capture_output=True,
        text=True,
    )
    elapsed = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return result, elapsed, peak
