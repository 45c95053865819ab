"""Refresh the README's pictures: serve the demo, open what a visitor sees, shoot it.

Five views (home, a report, its discussion, the donate page, the moderation queue),
each on a desktop and on a phone, written to docs/img/<view>-<device>.png.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
# `python -m tribune` from the repository root runs this checkout's code.
TRIBUNE = [sys.executable, "-m", "tribune"]
OUT_DIR = ROOT / "docs" / "img"
VAR_DIR = Path(os.environ.get("TRIBUNE_VAR_DIR", ROOT / "var"))
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base: str) -> None:
    for _ in range(600):  # the first start collects static files
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the demo did not answer at {base}")


def _first_report(page: Page, base: str) -> None:
    page.goto(base + "/")
    page.locator(".card__title a").first.click()
    page.wait_for_load_state("networkidle")


def _discussion(page: Page, base: str) -> None:
    _first_report(page, base)
    page.locator("#comments").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('comments').scrollIntoView()")


def _moderation(page: Page, base: str) -> None:
    password = (VAR_DIR / "demo-login.txt").read_text().strip()
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", password)
    page.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    page.goto(base + "/admin/comments/")
    page.wait_for_load_state("networkidle")


VIEWS: dict[str, Callable[[Page, str], None]] = {
    "home": lambda page, base: page.goto(base + "/"),
    "report": _first_report,
    "discussion": _discussion,
    "donate": lambda page, base: page.goto(base + "/support/"),
    "moderation": _moderation,
}


def _shoot_all(browser: Browser, base: str) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for device, options in DEVICES.items():
        context = browser.new_context(**options)  # type: ignore[arg-type]
        page = context.new_page()
        for name, open_view in VIEWS.items():
            open_view(page, base)
            page.wait_for_load_state("networkidle")
            out = OUT_DIR / f"{name}-{device}.png"
            page.screenshot(path=str(out))
            print(f"wrote {out.relative_to(ROOT)}")
        context.close()


def main() -> None:
    subprocess.run([*TRIBUNE, "demo"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    port = _free_port()
    server = subprocess.Popen(
        [*TRIBUNE, "serve"],
        cwd=ROOT,
        env={**os.environ, "TRIBUNE_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            _shoot_all(browser, base)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
