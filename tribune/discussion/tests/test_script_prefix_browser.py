"""Under a script prefix the comment scripts post, vote and sort where the server answers.

The site runs behind a proxy that mounts it at /news/: WSGI's SCRIPT_NAME is "/news"
and every address the server renders carries it. discussion.js and inline.js take
theirs from the section's data attributes, so none of their requests misses it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect

from tribune.discussion.models import Comment
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PREFIX = "/news"


class _Mounted:
    """What the proxy does: requests under /news reach the site with SCRIPT_NAME set.

    Static files stay at /static/ (STATIC_URL is absolute); any other address outside
    /news is not the site's, and gets a 404 as behind a real proxy.
    """

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = StaticFilesHandler(app)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith(f"{PREFIX}/"):
            environ["SCRIPT_NAME"] = PREFIX
            environ["PATH_INFO"] = path.removeprefix(PREFIX)
        elif not path.startswith("/static/"):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not under the prefix"]
        return self.app(environ, start_response)


@pytest.fixture
def mounted_site(settings: Any) -> Iterator[str]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    thread = LiveServerThread("localhost", static_handler=_Mounted)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://localhost:{thread.port}{PREFIX}"
    finally:
        thread.terminate()


def test_posting_voting_and_sorting_under_a_script_prefix(
    page: Any, browser: Any, mounted_site: str
) -> None:
    factories.rules()
    article = newsroom.article(title="Ferry timetable changes")
    url = mounted_site + article.url
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    page.wait_for_selector("[data-discussion][data-enhanced]")
    page.fill("#id_body", "The early ferry is back.")
    page.fill("#id_name", "Ada")
    page.fill("#id_email", "ada@example.org")
    page.click("text=Post comment")
    expect(page.locator("[data-discussion-comments] .comment__body")).to_have_text(
        "The early ferry is back."
    )
    assert page.url == url  # posted in place
    assert page.inner_text("[data-discussion-count-status]") == "1 comment"
    top = Comment.objects.get()

    other = browser.new_context()
    tab = other.new_page()
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(url)
    tab.wait_for_selector("[data-discussion][data-enhanced]")
    tab.click(f"#comment-{top.pk} > .comment__box .vote__up")
    tab.wait_for_selector(
        f"#comment-{top.pk} > .comment__box .vote__up[aria-pressed=true]"
    )
    assert tab.inner_text(f"#comment-{top.pk} > .comment__box [data-score]") == "1"
    tab.click("[data-sort=newest]")
    tab.wait_for_selector("[data-sort=newest][aria-current]")
    [cookie] = [c for c in other.cookies() if c["name"] == "tribune_comment_sort"]
    assert (cookie["value"], cookie["path"]) == ("newest", f"{PREFIX}/")
    other.close()

    scripted = [u for u in requests if "/api/" in u or "/comments/" in u]
    assert scripted, requests
    assert all(u.startswith(f"{mounted_site}/") for u in scripted), scripted
    assert page.errors == []
