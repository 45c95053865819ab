"""`tribune demo_article`: the report the benchmark adapter makes for each thread."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tribune.newsroom.models import ArticlePage, SeriesPage
from tribune.newsroom.tests import factories


def _run(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("demo_article", *args, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


@pytest.mark.django_db
def test_publishes_a_report_in_the_benchmarks_series_and_prints_id_and_url(
    home: Any,
) -> None:
    made = _run("--title", "Benchmark thread 10", "--slug", "bench-run-n10")

    article = ArticlePage.objects.get(pk=made["id"])
    assert made["url"] == "/benchmarks/bench-run-n10/"
    assert article.live
    assert article.get_parent().specific.title == "Benchmarks"
    assert Client().get(made["url"]).status_code == 200


@pytest.mark.django_db
def test_copies_the_newest_report_so_the_page_costs_what_a_real_one_does(
    home: Any,
) -> None:
    author = factories.AuthorFactory()
    factories.article(title="Older", paragraphs=("Old text.",))
    model = factories.article(
        title="Newest",
        paragraphs=("Model text one.", "Model text two."),
        authors=[author],
        tags=["flooding"],
        dateline="MILLBROOK",
    )

    article = ArticlePage.objects.get(pk=_run("--title", "Copy")["id"])

    assert [b.block_type for b in article.body] == [b.block_type for b in model.body]
    assert "Model text two." in str(article.body)
    assert article.lead == model.lead
    assert article.dateline == "MILLBROOK"
    assert list(article.authors.all()) == [author]
    assert [t.name for t in article.tags.all()] == ["flooding"]


@pytest.mark.django_db
def test_second_report_reuses_the_series(home: Any) -> None:
    first = _run("--title", "One")
    second = _run("--title", "Two")

    assert first["id"] != second["id"]
    assert SeriesPage.objects.filter(slug="benchmarks").count() == 1


@pytest.mark.django_db
def test_a_taken_slug_is_refused_and_nothing_is_added(home: Any) -> None:
    _run("--title", "One", "--slug", "same")

    with pytest.raises(CommandError, match="already has a report 'same'"):
        _run("--title", "Two", "--slug", "same")
    assert ArticlePage.objects.filter(slug="same").count() == 1


@pytest.mark.django_db
def test_without_a_home_page_it_asks_for_the_demo() -> None:
    with pytest.raises(CommandError, match="tribune demo"):
        _run("--title", "One")
