"""What only a browser shows: the bar refreshing itself, the embed script, no CSP errors."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tribune.funding import selectors
from tribune.funding.tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_goal_bar_refreshes_from_json_when_the_tab_returns(live_server, page, home):
    factories.campaign()
    factories.donation("100")
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/")
    raised = page.locator(".goal-bar--top [data-goal-raised]")
    assert raised.inner_text() == "$100"
    factories.donation("1700")
    selectors.forget_bar_progress()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(raised).to_have_text("$1,800")
    assert (
        page.locator(".goal-bar--top [data-goal-meter]").get_attribute("value") == "36"
    )
    assert page.errors == []
    assert not [c for c in console if "Content Security Policy" in c]


def test_embed_script_puts_the_bar_on_another_site(live_server, page):
    factories.campaign(goal=Decimal("1000"))
    factories.donation("250")
    html = (
        "<!DOCTYPE html><title>Elsewhere</title><p>Another site</p>"
        f'<script src="{live_server.url}/static/funding/embed.js" data-tribune-goal-bar>'
        "</script>"
    ).encode()
    with other_site(html) as url:
        page.goto(url)
        frame = page.wait_for_selector("iframe")
        assert frame.get_attribute("src") == live_server.url + "/support/embed/"
        content = frame.content_frame()
        content.wait_for_selector("[data-goal-raised]")
        assert content.locator("[data-goal-raised]").inner_text() == "$250"
        assert "25%" in content.locator("[data-goal-percent]").inner_text()


@contextmanager
def other_site(html: bytes) -> Iterator[str]:
    """A page on another origin (loopback, another port) that embeds the bar."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
