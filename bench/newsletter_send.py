"""A report goes to 50,000 newsletter subscribers; the rate and the worker's memory.

Not a test. A fresh SQLite database in a temporary folder (or the DATABASE_URL
given) gets 50,000 confirmed subscribers (`newsletter.services.import_subscribers`)
and one published report; the real `tribune worker` (a subprocess with the dev
settings) sends it through an aiosmtpd server on loopback, run here, that
counts what it accepts. Halfway through, a reader signs up and the time until
their confirmation mail arrives is measured (other mail must keep flowing
during a big send). Reported: wall time from the worker's start to the last
message, messages per second, the worker's peak resident memory (VmHWM from
/proc), duplicates and misses.

Run: PYTHONPATH=. .venv/bin/python bench/newsletter_send.py [--readers 50000]
     [--rate 100000] [--batch 500] [--kill-after 20000]
"""

import argparse
import collections
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TMP = tempfile.mkdtemp(prefix="tribune-nlbench-")
# The dev settings, like the worker's: tasks go to the database queue, so the
# mid-send sign-up below is delivered by the worker, through the SMTP server.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("TRIBUNE_VAR_DIR", TMP)
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.core.management import call_command  # noqa: E402

from tribune.mailing.tests.conftest import free_port  # noqa: E402
from tribune.newsletter import services  # noqa: E402
from tribune.newsroom.tests import factories as newsroom  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


class Counter:
    """An SMTP handler that counts accepted messages per recipient."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.per_rcpt: collections.Counter[str] = collections.Counter()
        self.first_at: dict[str, float] = {}

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.per_rcpt[rcpt] += 1
                self.first_at.setdefault(rcpt, time.monotonic())
        return "250 OK"

    def total(self) -> int:
        with self.lock:
            return sum(self.per_rcpt.values())


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_worker(port: int, rate: int, batch: int) -> subprocess.Popen[bytes]:
    module = "nlbench_settings"
    Path(TMP, f"{module}.py").write_text(
        "from tribune.config.settings.dev import *  # noqa: F403\n"
        f"NEWSLETTER_RATE_PER_MINUTE = {rate}\nNEWSLETTER_BATCH = {batch}\n"
    )
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DJANGO_SETTINGS_MODULE=module,
        PYTHONPATH=f"{ROOT}{os.pathsep}{TMP}",
        SECRET_KEY="bench-only",
        DATABASE_URL=os.environ["DATABASE_URL"],
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        DEFAULT_FROM_EMAIL="newsroom@example.org",
        TRIBUNE_VAR_DIR=TMP,
        LOG_LEVEL="WARNING",
        BASE_URL="https://news.example.org",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "tribune", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(TMP, "worker.log"), "wb"),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", type=int, default=50_000)
    parser.add_argument("--rate", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--kill-after", type=int, default=0)
    args = parser.parse_args()

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    emails = [f"reader{n:06}@example.org" for n in range(args.readers)]
    services.import_subscribers(emails=emails)
    newsroom.article(title="The valley's water, in figures")
    print(f"seeded {args.readers} subscribers in {time.monotonic() - started:.1f} s")

    counter = Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    worker = start_worker(port, args.rate, args.batch)
    began = time.monotonic()
    peak = 0.0
    asked_at = None
    killed_at = None
    try:
        while counter.total() < args.readers + (1 if asked_at else 0):
            time.sleep(1)
            if worker.poll() is not None:
                sys.exit(f"the worker stopped: see {TMP}/worker.log")
            peak = max(peak, peak_rss_mib(worker.pid))
            if (
                args.kill_after
                and killed_at is None
                and counter.total() >= args.kill_after
            ):
                # A dead worker mid-send: no goodbye, its lease simply runs out.
                worker.kill()
                worker.wait()
                killed_at = counter.total()
                worker = start_worker(port, args.rate, args.batch)
            if asked_at is None and counter.total() >= args.readers // 2:
                services.request_signup(email="late@example.net", everything=True)
                asked_at = time.monotonic()
            if time.monotonic() - began > 4 * 3600:
                sys.exit("gave up after four hours")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        controller.stop()
    elapsed = max(counter.first_at.values()) - began
    waited = counter.first_at.get("late@example.net", 0) - (asked_at or 0)
    per_rcpt = counter.per_rcpt
    newsletter = {k: v for k, v in per_rcpt.items() if k.startswith("reader")}
    print(f"readers            {args.readers}")
    print(f"rate setting       {args.rate}/min, batch {args.batch}")
    print(
        f"delivered          {len(newsletter)} addresses, "
        f"{sum(newsletter.values())} messages"
    )
    print(f"duplicates         {sum(v - 1 for v in newsletter.values() if v > 1)}")
    print(f"missed             {args.readers - len(newsletter)}")
    print(f"wall time          {elapsed:.0f} s")
    print(
        f"rate achieved      {len(newsletter) / elapsed:.1f} messages/s "
        f"({60 * len(newsletter) / elapsed:.0f}/min)"
    )
    print(f"worker peak RSS    {peak:.0f} MiB (VmHWM)")
    if killed_at is not None:
        print(f"worker killed      after {killed_at} messages, a new one started")
    print(f"confirmation mid-send arrived after {waited:.1f} s")
    print(f"database           {os.environ['DATABASE_URL'].split(':')[0]}")


if __name__ == "__main__":
    main()
