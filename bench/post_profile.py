"""What one POST of a new comment costs the server, counted: Python calls, SQL
statements and CPU time per POST through Django's WSGI handler (no test client).

Loads the demo into a throw-away state folder (benchmark settings, SQLite unless
DATABASE_URL is set), publishes a report with N approved comments and posts into it
the mix the shared harness posts (../shared/bench/bench.py): 70% top-level, 30%
replies to a random comment, realistic text, 1,000 posters at example.com, every
POST a new guest with the CSRF cookie and header, the form token and an empty
honeypot. Calls and statements are repeatable on a loaded machine; CPU time is
process time (a trend only on a shared machine).

Run: PYTHONPATH=. .venv/bin/python bench/post_profile.py [--n 10,100,1000]
     [--posts 200] [--profile 1000] [--out file.prof] [--queries]
Instructions (repeatable to about 1%), one N at a time:
     PYTHONPATH=. valgrind --tool=callgrind --instr-atstart=no
     --callgrind-out-file=post.%p .venv/bin/python bench/post_profile.py --n 1000
     --posts 50 --callgrind; callgrind_annotate post.<pid> | grep TOTALS
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("TRIBUNE_VAR_DIR", tempfile.mkdtemp(prefix="tribune-post."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.bench")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

import django

django.setup()

from demo_site import load_for_posting  # noqa: E402  # bench/, beside this script
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from tribune.discussion.models import Comment  # noqa: E402
from tribune.discussion.tests import factories  # noqa: E402
from tribune.newsroom.models import ArticlePage  # noqa: E402

STARTED = re.compile(rb'name="started" value="([^"]+)"')
WORDS = [
    *("the", "report", "council", "budget", "school", "water", "road", "vote"),
    *("city", "people", "said", "would", "think", "because", "really", "never"),
    *("always", "money", "years", "local", "plan", "news", "story"),
]


def comment_text(rng: random.Random, i: int) -> str:
    """As the shared harness writes them: median about 180 characters, a long
    tail, some emphasis, paragraphs."""
    length = int(min(2000, max(20, rng.lognormvariate(5.2, 0.8))))
    paras, cur, size = [], [], 0
    while size < length:
        w = rng.choice(WORDS)
        if rng.random() < 0.02:
            w = f"*{w}*"
        cur.append(w)
        size += len(w) + 1
        if len(cur) > 12 and rng.random() < 0.04:
            paras.append(" ".join(cur).capitalize() + ".")
            cur = []
    if cur:
        paras.append(" ".join(cur).capitalize() + ".")
    return f"[{i}] " + "\n\n".join(paras)


def _article(n: int) -> ArticlePage:
    out = io.StringIO()
    call_command(
        "demo_article", "--title", f"Posting {n}", "--slug", f"posting-{n}", stdout=out
    )
    return ArticlePage.objects.get(pk=json.loads(out.getvalue().splitlines()[-1])["id"])


class Poster:
    """Posts into one article through the WSGI handler, as a new guest each time."""

    def __init__(self, app: WSGIHandler, article: ArticlePage, seed: str) -> None:
        self.app = app
        self.article = article
        self.rng = random.Random(seed)
        self.counter = 0
        client = Client(HTTP_HOST="127.0.0.1")
        opened = client.get(article.url, HTTP_COOKIE="tribune_guest=")
        self.csrf = client.cookies["csrftoken"].value
        self.started = STARTED.search(opened.content)[1].decode()  # type: ignore[index]
        in_thread = Comment.objects.filter(thread__page_id=article.pk)
        self.ids = list(in_thread.values_list("pk", flat=True))

    def post(self) -> bytes:
        i, rng = self.counter, self.rng
        self.counter += 1
        parent = None if rng.random() < 0.7 or not self.ids else rng.choice(self.ids)
        author = rng.randrange(1000)
        body = json.dumps(
            {
                "body": comment_text(rng, 10_000_000 + i),
                "name": f"Poster {author}",
                "email": f"poster{author}@example.com",
                "website": "",
                "parent": parent,
                "key": secrets.token_hex(8),
                "started": self.started,
                "nickname": "",
            }
        ).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": f"/api/threads/{self.article.pk}/comments",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_COOKIE": f"csrftoken={self.csrf}",
            "HTTP_X_CSRFTOKEN": self.csrf,
            "HTTP_ORIGIN": "http://127.0.0.1",
            "HTTP_ACCEPT": "application/json",
        }
        status: list[str] = []
        response = self.app(environ, lambda s, h, e=None: status.append(s))
        out = b"".join(response)
        response.close()  # type: ignore[attr-defined]
        assert status[0].startswith("201"), (status, out[:300])
        self.ids.append(json.loads(out)["comment"]["id"])
        return out


def _instrumented(poster: Poster, posts: int) -> None:
    """Switch callgrind's counting on for `posts` POSTs (callgrind_control)."""
    control = ["callgrind_control", "--instr=on", str(os.getpid())]
    subprocess.run(control, check=True, capture_output=True)
    for _ in range(posts):
        poster.post()
    control[1] = "--instr=off"
    subprocess.run(control, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", default="10,100,1000")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--profile", type=int, default=0, help="print the profile at N")
    parser.add_argument("--out", help="write the profile at --profile's N to this file")
    parser.add_argument("--queries", action="store_true", help="print one POST's SQL")
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="only count instructions of --posts POSTs per N: run under"
        " valgrind --tool=callgrind --instr-atstart=no",
    )
    args = parser.parse_args()
    sizes = [int(n) for n in args.n.split(",")]
    load_for_posting()
    app = WSGIHandler()
    posters = {}
    for n in sizes:
        article = _article(n)
        factories.bulk_comments(article, n, markdown="A comment with *some* text.")
        posters[n] = Poster(app, article, f"post-{n}")
    time.sleep(3.5)  # the form token's minimum fill time
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print(f"{'N':>6} {'calls/POST':>10} {'SQL/POST':>8} {'CPU ms':>8} {'mean':>6}")
    for n, poster in posters.items():
        for _ in range(20):  # warm: templates compiled, per-process copies made
            poster.post()
        if args.callgrind:
            _instrumented(poster, args.posts)
            continue
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        profile = cProfile.Profile()
        with connection.execute_wrapper(count):
            profile.enable()
            for _ in range(args.posts):
                poster.post()
            profile.disable()
        stats = pstats.Stats(profile)
        calls = sum(s[1] for s in stats.stats.values())  # type: ignore[attr-defined]
        cpu = []
        for _ in range(args.posts):
            begun = time.process_time()
            poster.post()
            cpu.append((time.process_time() - begun) * 1000)
        print(
            f"{n:>6} {calls / args.posts:>10.0f} {len(queries) / args.posts:>8.2f}"
            f" {statistics.median(cpu):>8.2f} {statistics.mean(cpu):>6.2f}"
        )
        if args.queries:
            with connection.execute_wrapper(count):
                del queries[:]
                poster.post()
            print("\n".join(f"    {sql[:150]}" for sql in queries))
        if n == args.profile:
            if args.out:
                stats.dump_stats(args.out)
            stats.sort_stats("cumulative").print_stats(r"tribune/", 60)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
