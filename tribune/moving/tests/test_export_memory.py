"""Both exports write as they read: memory stays far below the size of what they write."""

from __future__ import annotations

import datetime as dt
import tracemalloc
from pathlib import Path

import pytest

from tribune.discussion.services.importing import ImportedComment, import_comments
from tribune.discussion.tests import factories as discussion_factories
from tribune.moving.exports.json_export import export_json
from tribune.moving.exports.wxr import export_wordpress

pytestmark = pytest.mark.django_db

BASE = "https://news.example.org/"
WHEN = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def big_thread():
    thread = discussion_factories.thread()
    text = "Long thoughts about the flood defences and the river. " * 40
    import_comments(
        thread=thread,
        items=[
            ImportedComment(
                key=str(n),
                name=f"Reader {n}",
                email=f"r{n}@example.org",
                body=f"{n}: {text}",
                created_at=WHEN,
                parent_key=str(n - 1) if n % 5 else None,
                upvotes=n % 3,
            )
            for n in range(2500)
        ],
    )
    return thread


@pytest.mark.parametrize("export", [export_json, export_wordpress])
def test_export_memory_stays_far_below_its_output(big_thread, tmp_path, export):
    target: Path = tmp_path / "out"
    # A first run loads what any first request would (URL configuration,
    # templates, modules); the second one shows what the export itself keeps.
    with (tmp_path / "warm-up").open("w", encoding="utf-8") as out:
        export(out, base_url=BASE)
    tracemalloc.start()
    try:
        with target.open("w", encoding="utf-8") as out:
            export(out, base_url=BASE)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = target.stat().st_size
    assert size > 8_000_000
    assert peak < size / 3
