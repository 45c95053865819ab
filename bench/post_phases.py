"""Where a POST of a new comment spends its time, in-process (wall time per phase).

Loads the demo into a throw-away state folder (benchmark settings, SQLite unless
DATABASE_URL is set), sets moderation to "publish at once", posts 400 comments through
Django's test client with the JSON the site's script sends, and prints the time per
POST of each phase. Phases nest: `run` (the API operation, with its parsing and
validation) holds `post_comment`, which holds `_insert`.

Run: .venv/bin/python bench/post_phases.py
"""

import collections
import functools
import json
import os
import re
import secrets
import tempfile
import time

os.environ.setdefault("TRIBUNE_VAR_DIR", tempfile.mkdtemp(prefix="tribune-phases."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.bench")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

import django

django.setup()

from demo_site import load_for_posting  # noqa: E402  # bench/, beside this script
from django.db.backends.base import base as db  # noqa: E402
from django.test import Client  # noqa: E402
from ninja.operation import Operation  # noqa: E402

from tribune.discussion import api, api_payloads, fragments, rendering, spam  # noqa: E402
from tribune.discussion.services import posting  # noqa: E402
from tribune.newsroom.models import ArticlePage  # noqa: E402
from tribune.subscriptions import selectors as subscriptions  # noqa: E402

SPENT: collections.Counter[str] = collections.Counter()


def timed(owner, name: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - started

    setattr(owner, name, wrapper)


for owner, names in [
    # Operation.run: the whole API operation, with ninja's parsing and validation.
    (Operation, ["run"]),
    (api, ["_thread_for_post", "_posted_html", "render_to_string"]),
    (api_payloads, ["single_comment"]),
    (posting, ["post_comment", "_insert"]),
    (fragments, ["render_boxes"]),
    (spam, ["check_rate", "check_form_token"]),
    (rendering, ["render_and_count_links"]),
    (subscriptions, ["has_recipients"]),
    (db.BaseDatabaseWrapper, ["run_and_clear_commit_hooks", "commit"]),
]:
    for name in names:
        timed(owner, name)

load_for_posting()
page = ArticlePage.objects.live().order_by("pk").first()
client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
opened = client.get(page.url)
csrf = client.cookies["csrftoken"].value
started = re.search(rb'name="started" value="([^"]+)"', opened.content)[1].decode()
time.sleep(3.5)  # the form token's minimum fill time


def post(i: int) -> None:
    body = {
        "body": f"Comment {i} with *some* text and a [link](https://example.org).",
        "name": f"Reader {i}",
        "email": f"reader{i}@example.org",
        "website": "",
        "parent": None,
        "key": secrets.token_hex(16),
        "started": started,
        "nickname": "",
    }
    client.cookies.clear()
    client.cookies["csrftoken"] = csrf
    begun = time.perf_counter()
    response = client.post(
        f"/api/threads/{page.pk}/comments",
        json.dumps(body),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
        HTTP_ORIGIN="http://127.0.0.1",
        HTTP_ACCEPT="application/json",
    )
    SPENT["the whole request (test client)"] += time.perf_counter() - begun
    assert response.status_code == 201, response.content[:300]


for i in range(20):
    post(i)
SPENT.clear()
N = 400
for i in range(N):
    post(100 + i)
for name, seconds in SPENT.most_common():
    print(f"{seconds / N * 1000:7.3f} ms  {name}")
