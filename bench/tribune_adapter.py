"""Tribune adapter for the shared benchmark in ../shared/bench (docs/benchmarks.md).

Run from the project root with Tribune serving the benchmark settings (bench/run.sh
does all of it):

    python3 ../shared/bench/bench.py run \\
        --adapter bench/tribune_adapter.py:TribuneAdapter --url http://127.0.0.1:8000

API used (tribune/discussion/api.py and urls.py):
  POST /api/threads/<page id>/comments
      JSON {body, name, email, website, parent, key, started, nickname} -> 201
      {comment, html, count, held}; CSRF: csrftoken cookie + X-CSRFToken header.
      `started` is the page's signed form token (at least DISCUSSION_MIN_FILL_SECONDS
      old), `key` the form's idempotency key, `nickname` the honeypot: the payload
      the site's discussion.js sends.
  POST /api/comments/<id>/vote
      JSON {value: 1 | -1}. A request without the guest cookie is a new guest (a
      signed cookie comes back), so every vote here is by a distinct voter.
  GET  <article URL>
      The report page, server-rendered with the first page of its thread (30
      top-level comments with all their replies) and the "N Comments" header.
  GET  <article URL>?call=1
      The same page with the whole thread ("View all comments"): TribuneAllAdapter.
  GET  /healthz
      Health check (one SELECT 1).
Articles have no public write API: thread_key runs `tribune demo_article`, which
publishes a report in the "Benchmarks" series (a copy of the newest demo report) and
prints its id and URL. It runs with this process's environment, so it reaches the
server's database (TRIBUNE_VAR_DIR or DATABASE_URL, DJANGO_SETTINGS_MODULE).

Who reads: anonymous readers get pages from the whole-page cache (tribune/core/
pagecache.py, PAGECACHE_SECONDS), so a GET by one measures a cache hit, and the seed
check and POST recount could read a stale copy. The adapter therefore reads as a
returning guest: the signed `tribune_guest` cookie its first posted comment got back,
which bypasses the page cache (as it does for every reader who has commented or voted),
so each GET renders the page and its thread. bench/run.sh measures the cached page for
anonymous readers separately with `bench.py get`.

Options (--opt k=v): tribune=PATH of the `tribune` command (default: .venv/bin/tribune
of this repository).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit

from adapters import Adapter, CommentSpec, Request

ROOT = Path(__file__).resolve().parent.parent
COUNT_HEADER = re.compile(rb'id="comments-title">(\d+) Comments?<')
RENDERED = re.compile(rb'<li class="comment[^"]*" id="comment-\d+" data-comment="')
STARTED = re.compile(rb'name="started" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"(?:^|\n)csrftoken=([A-Za-z0-9]+)")
GUEST_COOKIE = re.compile(r"(?:^|\n)(tribune_guest=[^;\s]+)")
# DISCUSSION_MIN_FILL_SECONDS (3) plus a margin: a younger form token is refused.
FORM_AGE_S = 3.5
# Printed by `tribune shell -c` for describe(): the settings the server runs with.
DESCRIBE_SNIPPET = """
import json
from django.conf import settings
from django.db import connection
from tribune.discussion import conf, selectors
rules = selectors.get_settings(None)
print(json.dumps({
    "settings": settings.SETTINGS_MODULE,
    "debug": settings.DEBUG,
    "database": connection.vendor,
    "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE", 0),
    "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    "moderation": rules.moderation,
    "comments": rules.comments,
    "held_words": len(rules.word_list()),
    "max_links": rules.max_links,
    "rate_per_ip_per_minute": conf.get("RATE_PER_IP_PER_MINUTE"),
    "rate_per_email_per_hour": conf.get("RATE_PER_EMAIL_PER_HOUR"),
    "min_fill_seconds": conf.get("MIN_FILL_SECONDS"),
    "page_size": conf.get("PAGE_SIZE"),
}))
"""


class TribuneAdapter(Adapter):
    name = "tribune"
    supports_votes = True
    # The reader's browser runs the page script (it set the tribune_js cookie on
    # their first visit), so the page is the shared copy and their own state comes
    # from /api/threads/<id>/me (decision 0024). TribuneNoScriptAdapter: without.
    script = True
    # Query string of the measured page: "" is the article as a reader opens it.
    view_query = ""
    view = "article page, first page of the thread (30 top-level comments + replies)"

    def __init__(self, base_url: str, **opts):
        super().__init__(base_url, **opts)
        self.tribune = str(opts.get("tribune") or ROOT / ".venv" / "bin" / "tribune")
        self.page_ids: dict[str, int] = {}
        self.csrf = ""
        self.started = ""
        self.origin = self.base_url
        self.settings: dict = {}
        self.guest_cookie = ""
        # Per thread: the cookie of a guest who voted there, for whom the page is
        # rendered (a guest with no part in a thread gets the page-cached copy).
        self.voter_cookies: dict[str, str] = {}

    # ---- set-up -------------------------------------------------------------
    def _tribune(self, *args: str) -> str:
        done = subprocess.run(
            [self.tribune, *args], capture_output=True, text=True, timeout=300
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"tribune {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}"
            )
        return done.stdout

    def prepare(self, http) -> None:
        st, _, body = http.request("GET", "/healthz")
        if st != 200:
            raise RuntimeError(
                f"Tribune not healthy: GET /healthz -> {st} {body[:200]!r}"
            )
        out = self._tribune("shell", "-c", DESCRIBE_SNIPPET).strip().splitlines()
        self.settings = json.loads(out[-1])
        if (
            self.settings["moderation"] != "publish"
            or self.settings["comments"] != "open"
        ):
            raise RuntimeError(
                f"the benchmark needs moderation off and comments open: {self.settings}"
            )

    def _start_form(self, path: str) -> None:
        """What a reader's browser holds after opening the page: the CSRF cookie and
        the signed form token; waits until the token is old enough to post."""
        url = urlsplit(self.base_url)
        conn = HTTPConnection(url.hostname, url.port or 80, timeout=60)
        try:
            # An (empty) guest cookie keeps this page out of the page cache, where the
            # thread's state before seeding would outlive the seeding.
            conn.request("GET", path, headers={"Cookie": "tribune_guest="})
            response = conn.getresponse()
            st, body = response.status, response.read()
            cookies = "\n".join(response.headers.get_all("Set-Cookie") or [])
        finally:
            conn.close()
        cookie = CSRF_COOKIE.search(cookies)
        started = STARTED.search(body)
        if st != 200 or not cookie or not started:
            raise RuntimeError(f"GET {path} -> {st}: no csrftoken cookie or form token")
        self.csrf, self.started = cookie.group(1), started.group(1).decode()
        time.sleep(FORM_AGE_S)

    def thread_key(self, n: int, run_id: str) -> str:
        slug = f"{self.name}-{run_id}-n{n}"
        out = self._tribune(
            "demo_article",
            "--title",
            f"Benchmark thread {n} ({run_id})",
            "--slug",
            slug,
        )
        made = json.loads(out.strip().splitlines()[-1])
        path = urlsplit(made["url"]).path
        self.page_ids[path] = int(made["id"])
        if not self.csrf:
            self._start_form(path)
        return path

    # ---- writes -------------------------------------------------------------
    def _headers(self) -> dict:
        return {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Cookie": f"csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
            "Origin": self.origin,
        }

    def _body(self, c: CommentSpec) -> bytes:
        return json.dumps(
            {
                "body": c.text,
                "name": c.author,
                "email": c.email,
                "website": "",
                "parent": c.parent,
                "key": f"bench{c.index:x}",
                "started": self.started,
                "nickname": "",
            }
        ).encode()

    def _comments_path(self, thread: str) -> str:
        return f"/api/threads/{self.page_ids[thread]}/comments"

    def create_comment(self, http, thread, c):
        st, headers, body = http.request(
            "POST", self._comments_path(thread), self._body(c), self._headers()
        )
        self.check_post_response(st, body)
        if not self.guest_cookie:
            found = GUEST_COOKIE.search(headers.get("set-cookie", ""))
            if found:
                self.guest_cookie = found.group(1)
        return json.loads(body)["comment"]["id"]

    def vote(self, http, thread, comment_id, up, voter):
        # No guest cookie: the server makes a new guest, so each vote is a new voter.
        payload = json.dumps({"value": 1 if up else -1}).encode()
        st, headers, body = http.request(
            "POST", f"/api/comments/{comment_id}/vote", payload, self._headers()
        )
        if st != 200:
            raise RuntimeError(f"tribune vote -> {st}: {body[:300]!r}")
        found = GUEST_COOKIE.search(headers.get("set-cookie", ""))
        if found and thread not in self.voter_cookies:
            self.voter_cookies[thread] = found.group(1)

    def post_request(self, thread, c, existing_ids):
        return Request(
            "POST", self._comments_path(thread), self._headers(), self._body(c)
        )

    def check_post_response(self, status, body):
        if status != 201:
            raise RuntimeError(f"tribune POST -> {status}: {body[:300]!r}")
        if json.loads(body).get("held"):
            raise RuntimeError(
                "tribune held the comment for moderation: moderation is on"
            )

    # ---- reads --------------------------------------------------------------
    def thread_request(self, thread):
        if not self.guest_cookie:
            raise RuntimeError(
                "no tribune_guest cookie came back from a posted comment"
            )
        cookie = self.voter_cookies.get(thread, self.guest_cookie)
        if self.script:
            cookie += "; tribune_js=1"
        return Request("GET", thread + self.view_query, {"Cookie": cookie}, None)

    def count_comments(self, body):
        found = COUNT_HEADER.search(body)
        return int(found.group(1)) if found else None

    def response_info(self, body) -> dict:
        header = COUNT_HEADER.search(body)
        return {
            "comments_in_header": int(header.group(1)) if header else None,
            "comments_rendered": len(RENDERED.findall(body)),
        }

    def health_request(self):
        return Request("GET", "/healthz")

    def describe(self) -> dict:
        return {
            "version": _version(),
            "view": self.view,
            "reader": "returning guest who voted in this thread, "
            + (
                "browser runs the script (shared copy)"
                if self.script
                else "no script (page rendered for them)"
            ),
            "server": "tribune serve (granian WSGI, "
            f"{os.environ.get('TRIBUNE_THREADS', '2')} threads per worker)",
            # tribune serve's default is 2 x cores + 1.
            "workers": int(
                os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1
            ),
            **self.settings,
        }


class TribuneAllAdapter(TribuneAdapter):
    """The whole thread on one page ("View all comments"), for the Isso comparison.

    A target of its own (not only a --label) so that nginx/run.sh sizes a static file
    for it apart from the article page's first page.
    """

    name = "tribune-all"
    view_query = "?call=1"
    view = "article page with the whole thread (?call=1, 'View all comments')"

    def count_comments(self, body):
        # Every comment must be on the page, not only in the header's count.
        return len(RENDERED.findall(body))


class TribuneNoScriptAdapter(TribuneAdapter):
    """The article page for a returning guest who voted and whose browser runs no
    script: rendered for them, with their votes pressed (GET only, --no-post)."""

    name = "tribune-nojs"
    script = False
    view = "article page, first page of the thread, rendered for the reader"


class TribuneUncachedAdapter(TribuneAdapter):
    """The article page rendered for an anonymous reader with the page cache off.

    bench/run.sh serves it with PAGECACHE_SECONDS=0: what the first reader after
    each invalidation waits for (every new comment on a hot thread), and what
    readers whose page is never shared get. GET only (--no-post).
    """

    name = "tribune-uncached"
    view = "article page, first page of the thread, page cache off (rendered)"

    def thread_request(self, thread):
        return Request("GET", thread + self.view_query, {}, None)

    def describe(self) -> dict:
        return {
            **super().describe(),
            "reader": "anonymous, page cache off (PAGECACHE_SECONDS=0): rendered",
        }


def _version() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except OSError:
        head = ""
    return f"tribune {head or '(no git)'}"
