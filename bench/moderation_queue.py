"""A moderator clears 100 queued comments from the keyboard; keystrokes and seconds.

Not a test: a Playwright run against a live server started here (Django's
LiveServerThread on a free port) with a fresh SQLite database in a temporary
folder (or the DATABASE_URL given), seeded through the real services: 100 held
comments, 80 by distinct readers and 20 by two spammers.  The moderator
approves the readers (a), files each spammer's comments at once (X, then s),
deletes a few (d), and corrects a few slips (s, u, a).  Time is the wall clock
from the first key to the empty queue; reading time is not included.

Run: PYTHONPATH=. .venv/bin/python bench/moderation_queue.py
"""

import os
import sys
import tempfile
import time

TMP = tempfile.mkdtemp(prefix="tribune-modbench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tribune.discussion import policies, services  # noqa: E402
from tribune.discussion.models import Comment, ModerationPolicy, Status  # noqa: E402
from tribune.discussion.submission import Guest, Submission  # noqa: E402
from tribune.discussion.tests import factories  # noqa: E402
from tribune.newsroom.tests import factories as newsroom  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
COMMENTS = 100
PASSWORD = "bench-password-1"


def seed() -> dict[int, str]:
    """The queue and what the moderator will decide for each comment."""
    newsroom.home_page()
    rules = factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    thread = factories.thread()
    plan: dict[int, str] = {}
    for n in range(COMMENTS):
        if n % 5 == 4:  # 20 by two spammers
            who = n % 2
            guest = Guest(name=f"Deals {who}", email=f"deals{who}@example.net")
            decision = "spammer"
        else:
            guest = Guest(name=f"Reader {n}", email=f"reader{n}@example.org")
            decision = "delete" if n % 16 == 0 else "slip" if n % 16 == 8 else "approve"
        comment = services.post_comment(
            Submission(
                thread=thread,
                state=policies.OPEN,
                rules=rules,
                viewer=factories.guest_viewer(),
                body=f"Comment {n} on the bridge works.",
                guest=guest,
                throttle=False,
            )
        )
        plan[comment.pk] = decision
    get_user_model().objects.create_superuser("moderator", "m@example.org", PASSWORD)
    return plan


def clear(url: str, plan: dict[int, str]) -> tuple[int, float]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto(url + "/admin/login/")
        page.fill("input[name=username]", "moderator")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(url + "/admin/")
        page.goto(url + "/admin/comments/")
        page.wait_for_selector("#moderation-keys:not([hidden])")
        keys = 0
        started = time.perf_counter()

        def press(key: str, last: bool) -> None:
            nonlocal keys
            keys += 1
            if last:
                with page.expect_navigation():
                    page.keyboard.press(key)
                page.wait_for_selector("#moderation-keys:not([hidden]), .moderation p")
            else:
                before = page.evaluate("document.activeElement.dataset.comment")
                page.keyboard.press(key)
                if key in "asd":
                    page.wait_for_function(
                        "id => document.activeElement.dataset.comment !== id",
                        arg=before,
                    )

        while page.locator("tr.moderation__row:visible").count():
            pk = int(page.evaluate("document.activeElement.dataset.comment"))
            visible = page.locator("tr.moderation__row:visible").count()
            decision = plan[pk]
            if decision == "spammer":
                keys += 1
                page.keyboard.press("X")
                picked = page.locator("tr.moderation__row--selected:visible").count()
                press("s", last=picked == visible)
            elif decision == "slip":
                press("s", last=False)  # the wrong key, then undo
                press("u", last=False)
                page.wait_for_function(
                    "id => document.activeElement.dataset.comment === id", arg=str(pk)
                )
                press("a", last=visible == 1)
            else:
                press("d" if decision == "delete" else "a", last=visible == 1)
        seconds = time.perf_counter() - started
        page.wait_for_selector("text=No comments here.")
        browser.close()
    return keys, seconds


def main() -> None:
    call_command("migrate", verbosity=0)
    plan = seed()
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        keys, seconds = clear(f"http://127.0.0.1:{server.port}", plan)
    finally:
        server.terminate()
    left = Comment.objects.filter(status=Status.PENDING).count()
    counts = {s: Comment.objects.filter(status=s).count() for s in Status.values}
    print(f"comments: {COMMENTS}, left pending: {left}, by status: {counts}")
    print(
        f"keystrokes: {keys}, seconds: {seconds:.1f}, "
        f"per comment: {seconds / COMMENTS:.2f} s"
    )
    sys.exit(1 if left else 0)


if __name__ == "__main__":
    main()
