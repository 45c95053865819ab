"""1,000 open live streams: the live process's memory, how fast an event reaches all.

Not a test. A fresh SQLite database in a temporary folder (or the DATABASE_URL
given) is migrated; the real `tribune live` process (a subprocess with the dev
settings) is started, with a private redis-server as REDIS_URL when --redis is
given (events then wake it through pub/sub) and polling the events table without.
This process opens --streams Server-Sent Events connections to one article,
waits until each has its `ready` event, then publishes --events comment-sized
events through `live.services.publish_event` (the path the discussion's
receivers take), one every --gap seconds. Each connection notes when each event
arrives; the delay is from just before the write to the arrival, over every
connection and event. Reported: p50/p99/max delay, deliveries missed, and the
live process's resident memory (VmRSS, VmHWM from /proc) idle, with every
stream open, and after the events.

The clients run on the same machine, in this one process: their own work is in
the delays measured.

Run: PYTHONPATH=. .venv/bin/python bench/live_stream.py [--streams 1000]
     [--events 20] [--gap 0.5] [--redis] [--while "wrk -t2 -c8 -d5s URL"]
With --while, the command runs after the events while every stream is still open:
run it once alone and once with --while to see whether open streams cost the pages
anything.
"""

import argparse
import asyncio
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TMP = tempfile.mkdtemp(prefix="tribune-livebench-")
ROOT = Path(__file__).resolve().parent.parent


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.5)
    parser.add_argument("--redis", action="store_true")
    parser.add_argument(
        "--real",
        action="store_true",
        help="post real comments through the posting service (their events name "
        "the comment and the live process renders its box) instead of publishing "
        "events that carry their HTML; the delay then starts before the post",
    )
    parser.add_argument(
        "--while",
        dest="while_cmd",
        default="",
        help="a shell command run while every stream is still open, after the "
        "events (e.g. a wrk run against a page of a running tribune serve); its "
        "output is printed with the results",
    )
    return parser.parse_args()


ARGS = _args()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("TRIBUNE_VAR_DIR", TMP)
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["LIVE_CONNECTIONS_PER_IP"] = str(ARGS.streams + 10)
os.environ.pop("REDIS_URL", None)
REDIS = None
if ARGS.redis:
    from tribune.core.testing import RedisServer

    REDIS = RedisServer(Path(TMP))
    REDIS.start()
    os.environ["REDIS_URL"] = REDIS.url

# Two sockets per stream on this machine (client and server), more than the
# usual soft limit of 1,024 descriptors.
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (_hard, _hard))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from tribune.core.testing import free_port  # noqa: E402
from tribune.live import services  # noqa: E402

PAGE_ID = 1
# About the size of a comment box's public HTML.
HTML = '<li class="comment" id="comment-{n}">' + "x" * 1500 + "</li>"


THREAD = None  # --real: the report's thread


def _real_article() -> int:
    """A report with a thread whose new comments are published at once."""
    global THREAD
    from tribune.discussion.tests import factories

    THREAD = factories.thread()
    return int(THREAD.page_id)


def _post_real_comment(n: int) -> int:
    """A guest's comment through the posting service; its live event's id."""
    from tribune.discussion.tests import factories
    from tribune.live.models import LiveEvent

    factories.comment(
        in_thread=THREAD, body=f"Live bench comment {n}. " + "Words " * 200
    )
    return int(LiveEvent.objects.filter(kind="comment").latest("pk").pk)


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in KiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in {"VmRSS", "VmHWM"}:
            found[name] = int(value.split()[0])
    return found


async def stream(
    port: int,
    arrivals: dict[int, list[float]],
    ready: asyncio.Event,
    counter: list[int],
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /live/stream/{PAGE_ID}/ HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
    )
    await writer.drain()
    while True:
        line = await reader.readline()
        if not line:
            return
        if line.startswith(b"event: ready"):
            counter[0] += 1
            if counter[0] == ARGS.streams:
                ready.set()
        elif line.startswith(b"id: "):
            arrivals.setdefault(int(line[4:]), []).append(time.monotonic())


async def main() -> None:
    port = free_port()
    live = subprocess.Popen(
        [sys.executable, "-m", "tribune", "live", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        await run(live, port)
    finally:
        os.killpg(live.pid, signal.SIGTERM)
        live.wait(timeout=30)
        if REDIS is not None:
            REDIS.stop()


async def run(live: subprocess.Popen, port: int) -> None:
    for _ in range(300):
        try:
            _r, w = await asyncio.open_connection("127.0.0.1", port)
            w.close()
            break
        except OSError:
            await asyncio.sleep(0.1)
    await asyncio.sleep(1)
    idle = memory(live.pid)
    arrivals: dict[int, list[float]] = {}
    ready, counter = asyncio.Event(), [0]
    started = time.monotonic()
    tasks = []
    for _ in range(ARGS.streams):
        tasks.append(asyncio.create_task(stream(port, arrivals, ready, counter)))
        await asyncio.sleep(0.002)
    await asyncio.wait_for(ready.wait(), 120)
    connect_s = time.monotonic() - started
    await asyncio.sleep(1)
    connected = memory(live.pid)
    sent: dict[int, float] = {}
    if ARGS.real:
        # Not measured: a running site has loaded the posting path's models and
        # the live process its box templates long before (the web process warms
        # its models at start, config/wsgi.py); this does the same here.
        await asyncio.to_thread(_post_real_comment, -1)
        await asyncio.sleep(2)
    for n in range(ARGS.events):
        t0 = time.monotonic()
        if ARGS.real:
            event_id = await asyncio.to_thread(_post_real_comment, n)
        else:
            event_id = (
                await asyncio.to_thread(
                    services.publish_event,
                    channel=f"article:{PAGE_ID}",
                    kind="comment",
                    payload={
                        "id": n,
                        "parent": None,
                        "html": HTML.format(n=n),
                        "count": n,
                    },
                )
            ).pk
        sent[event_id] = t0
        await asyncio.sleep(ARGS.gap)
    await asyncio.sleep(3)
    after = memory(live.pid)
    while_output = ""
    if ARGS.while_cmd:
        command = await asyncio.create_subprocess_shell(
            ARGS.while_cmd,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        while_output = (await command.communicate())[0].decode(errors="replace")
    still_open = ARGS.streams - sum(task.done() for task in tasks)
    delays = sorted(
        t - sent[i] for i, times in arrivals.items() if i in sent for t in times
    )
    expected = ARGS.streams * ARGS.events
    result = {
        "mode": ("redis" if ARGS.redis else "polling (no Redis)")
        + (", real comments" if ARGS.real else ""),
        "streams": ARGS.streams,
        "events": ARGS.events,
        "connect_all_s": round(connect_s, 2),
        "delivered": len(delays),
        "missed": expected - len(delays),
        "p50_ms": round(statistics.median(delays) * 1000, 1),
        "p99_ms": round(delays[int(len(delays) * 0.99) - 1] * 1000, 1),
        "max_ms": round(delays[-1] * 1000, 1),
        "rss_idle_mib": round(idle["VmRSS"] / 1024, 1),
        "rss_connected_mib": round(connected["VmRSS"] / 1024, 1),
        "rss_after_events_mib": round(after["VmRSS"] / 1024, 1),
        "peak_mib": round(after["VmHWM"] / 1024, 1),
        "per_stream_kib": round((connected["VmRSS"] - idle["VmRSS"]) / ARGS.streams, 1),
        "load_avg": os.getloadavg(),
        "streams_open_at_end": still_open,
    }
    print(json.dumps(result, indent=2))
    if ARGS.while_cmd:
        print(f"== while {ARGS.streams} streams were open: {ARGS.while_cmd}")
        print(while_output)
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    if ARGS.real:
        PAGE_ID = _real_article()
    asyncio.run(main())
