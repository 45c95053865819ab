"""The demo's imported WordPress report."""

from __future__ import annotations

from typing import Any

import pytest

from tribune.demo import import_content
from tribune.discussion.models import Comment
from tribune.newsroom.models import ArticlePage


@pytest.mark.django_db
def test_the_demo_imports_its_wordpress_report_once(home: Any, client: Any) -> None:
    first = import_content.load()
    assert first == import_content.DemoImport(reports=2, comments=5)
    again = import_content.load()
    assert again == first
    page = ArticlePage.objects.get(slug="old-ferry-runs-again")
    assert Comment.objects.filter(thread__page_id=page.pk).count() == 5
    assert client.get(page.url).status_code == 200
    assert client.get("/?p=101")["Location"] == page.url
