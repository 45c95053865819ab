"""What rendering the article page and posting a comment cost in-process, by N.

Loads the demo into a throw-away state folder (benchmark settings, SQLite unless
DATABASE_URL is set), publishes one report per N with N approved comments (a third of
them replies), and for each N renders the article page with the page cache off (the
first page of the thread: what a reader gets after an invalidation, or a reader with
a part in the thread) and posts comments through the JSON API. It prints, per render
and per POST: Python function calls (cProfile's count: repeatable on a loaded
machine, unlike the clock), SQL queries, and the median wall time.

Run: .venv/bin/python bench/render_profile.py [--n 10,100,1000,10000] [--renders 20]
     [--posts 100] [--profile N] (prints cProfile's top functions for the page at N)
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import secrets
import statistics
import tempfile
import time

os.environ.setdefault("TRIBUNE_VAR_DIR", tempfile.mkdtemp(prefix="tribune-render."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.bench")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
# The page cache off: every GET renders.
os.environ["PAGECACHE_SECONDS"] = "0"

import django

django.setup()

from demo_site import load_for_posting  # noqa: E402  # bench/, beside this script
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from tribune.discussion.tests import factories  # noqa: E402
from tribune.newsroom.models import ArticlePage  # noqa: E402

STARTED = re.compile(rb'name="started" value="([^"]+)"')


def _article(n: int) -> ArticlePage:
    out = _call("demo_article", "--title", f"Profile {n}", "--slug", f"profile-{n}")
    return ArticlePage.objects.get(pk=json.loads(out.strip().splitlines()[-1])["id"])


def _call(*args: str) -> str:
    buffer = io.StringIO()
    call_command(*args, stdout=buffer)
    return buffer.getvalue()


def _seed(article: ArticlePage, n: int) -> None:
    """n approved comments, every third a reply, written in bulk."""
    factories.bulk_comments(
        article,
        n,
        markdown="A comment with *some* text and a [link](https://example.org).",
    )


SHOW_QUERIES = False


def _measure(run, repeat: int) -> tuple[int, int, float]:
    """Calls and queries of one run (after a warm-up) and the median ms of `repeat`."""
    run()  # warm: templates compiled, per-process caches filled
    profile = cProfile.Profile()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Not CaptureQueriesContext: request_started resets its log mid-request.
    with connection.execute_wrapper(count):
        profile.enable()
        run()
        profile.disable()
    if SHOW_QUERIES:
        print("\n".join(f"   {sql[:160]}" for sql in queries))
    calls = sum(s[1] for s in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]
    times = []
    for _ in range(repeat):
        begun = time.perf_counter()
        run()
        times.append((time.perf_counter() - begun) * 1000)
    return calls, len(queries), statistics.median(times)


def _poster(client: Client, article: ArticlePage):
    opened = client.get(article.url, HTTP_COOKIE="")
    csrf = client.cookies["csrftoken"].value
    started = STARTED.search(opened.content)[1].decode()  # type: ignore[index]
    counter = iter(range(10**9))

    def post() -> None:
        i = next(counter)
        client.cookies.clear()
        client.cookies["csrftoken"] = csrf
        response = client.post(
            f"/api/threads/{article.pk}/comments",
            json.dumps(
                {
                    "body": f"Comment {i} with *some* text and a [link](https://example.org).",
                    "name": f"Poster {i}",
                    "email": f"poster{i}@example.org",
                    "website": "",
                    "parent": None,
                    "key": secrets.token_hex(16),
                    "started": started,
                    "nickname": "",
                }
            ),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=csrf,
            HTTP_ORIGIN="http://127.0.0.1",
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 201, response.content[:300]

    return post


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", default="10,100,1000,10000")
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--html", help="folder to write each N's page to, for a diff")
    parser.add_argument("--queries", action="store_true", help="print the SQL")
    args = parser.parse_args()
    global SHOW_QUERIES
    SHOW_QUERIES = args.queries
    sizes = [int(n) for n in args.n.split(",")]

    load_for_posting()
    articles = {}
    for n in sizes:
        articles[n] = _article(n)
        _seed(articles[n], n)

    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    print(f"{'N':>6} {'what':<6} {'calls':>8} {'queries':>7} {'ms':>8}")
    for n in sizes:
        url = articles[n].url

        def render(url: str = url) -> None:
            client.cookies.clear()
            response = client.get(url)
            assert (
                response.status_code == 200 and b"X-Page-Cache" not in response.content
            )

        if args.html:
            client.cookies.clear()
            page = client.get(url).content.decode()
            # The per-request values (CSRF token, CSP nonce, form token) differ anyway.
            page = re.sub(r'(value|nonce|content)="[^"]*"', r'\1=""', page)
            with open(os.path.join(args.html, f"page-{n}.html"), "w") as out:
                out.write(page)
        calls, queries, ms = _measure(render, args.renders)
        print(f"{n:>6} {'page':<6} {calls:>8} {queries:>7} {ms:>8.2f}")
        if n == args.profile:
            profile = cProfile.Profile()
            profile.runcall(render)
            stats = pstats.Stats(profile).sort_stats("cumulative")
            stats.print_stats(r"tribune/|wagtail/|templatetags|query\.py", 60)
            stats.sort_stats("tottime").print_stats(30)
            stats.print_callees("get_rendition")
    if not args.posts:
        return
    posters = {n: _poster(client, articles[n]) for n in sizes}
    time.sleep(3.5)  # the form tokens' minimum fill time
    for n, post in posters.items():
        calls, queries, ms = _measure(post, args.posts)
        if n == args.profile:
            profile = cProfile.Profile()
            profile.runcall(post)
            stats = pstats.Stats(profile).sort_stats("cumulative")
            stats.print_stats(r"tribune/|ninja/|query\.py|signals|conf/", 50)
        print(f"{n:>6} {'POST':<6} {calls:>8} {queries:>7} {ms:>8.2f}")


if __name__ == "__main__":
    main()
