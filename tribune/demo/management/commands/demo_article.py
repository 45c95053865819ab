"""`tribune demo_article`: publish one report in the "Benchmarks" series, print its id and URL."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.text import slugify

from tribune.core import clock
from tribune.newsroom import services
from tribune.newsroom.models import ArticlePage, HomePage, SeriesPage

SERIES_TITLE = "Benchmarks"
SERIES_SLUG = "benchmarks"
LEAD = "A report published for a load test; its comment thread is made by the test."
# StreamField raw data, the form the model report's body is copied in.
FALLBACK_BODY = [
    {
        "type": "paragraph",
        "value": "<p>This report exists so that a benchmark can measure a report "
        "page with its comment section. Its text is a placeholder.</p>",
    }
]


class Command(BaseCommand):
    help = (
        "Publish one report in the Benchmarks series under the home page and print "
        '{"id": ..., "url": ...} as one JSON line (used by bench/tribune_adapter.py).'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--title", required=True, help="headline of the report")
        parser.add_argument(
            "--slug", default="", help="URL slug (default: from the title)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        title = options["title"].strip()
        slug = options["slug"] or slugify(title)[:255]
        if not title or not slug:
            raise CommandError("Give a --title with letters or digits in it.")
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("There is no home page yet: run `tribune demo` first.")
        article = _publish(home=home, title=title, slug=slug)
        self.stdout.write(json.dumps({"id": article.pk, "url": article.url}))


@transaction.atomic
def _publish(*, home: HomePage, title: str, slug: str) -> ArticlePage:
    series = SeriesPage.objects.child_of(home).filter(slug=SERIES_SLUG).first()
    if series is None:
        series = services.create_series(
            home=home,
            title=SERIES_TITLE,
            slug=SERIES_SLUG,
            description="<p>Reports made by load tests.</p>",
        )
    if ArticlePage.objects.child_of(series).filter(slug=slug).exists():
        raise CommandError(f"The Benchmarks series already has a report {slug!r}.")
    # Modelled on the newest demo report, so that the page costs what a real one does:
    # same body blocks, picture, byline and topics.
    model = (
        ArticlePage.objects.live()
        .not_descendant_of(series)
        .order_by("-first_published_at")
        .first()
    )
    fields: dict[str, Any] = {"body": FALLBACK_BODY}
    if model is not None:
        fields = {
            "body": [
                {"type": block["type"], "value": block["value"]}
                for block in model.body.raw_data
            ],
            "authors": list(model.authors.all()),
            "tags": [tag.name for tag in model.tags.all()],
            "dateline": model.dateline,
            "image": model.image,
            "image_caption": model.image_caption,
        }
    return services.create_article(
        series=series,
        title=title,
        slug=slug,
        lead=model.lead if model is not None else LEAD,
        date=clock.today(),
        **fields,
    )
