"""Factories for newsroom content; pages go through the newsroom services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import factory
from wagtail.rich_text import RichText

from tribune.core import clock
from tribune.newsroom import services
from tribune.newsroom.models import (
    ArticlePage,
    Author,
    HomePage,
    SeriesPage,
    StandardPage,
)

_counter = itertools.count(1)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")
    role = "Reporter"
    bio = "<p>Writes about the valley.</p>"


def home_page() -> HomePage:
    """The site's home page, created on first use."""
    return services.install_home_page(title="Test Gazette", intro="Tests only.")


def series(title: str = "", home: HomePage | None = None) -> SeriesPage:
    n = next(_counter)
    title = title or f"Series {n}"
    return services.create_series(
        home=home or home_page(), title=title, slug=f"series-{n}"
    )


def article(
    *,
    in_series: SeriesPage | None = None,
    title: str = "",
    date: dt.date | None = None,
    paragraphs: tuple[str, ...] = ("First paragraph.", "Second paragraph."),
    **fields: Any,
) -> ArticlePage:
    """A published report with a simple body; pass fields to override."""
    n = next(_counter)
    body = [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]
    return services.create_article(
        series=in_series or series(),
        title=title or f"Report number {n}",
        lead=fields.pop("lead", f"The lead of report {n}."),
        date=date or clock.today(),
        body=fields.pop("body", body),
        **fields,
    )


def plain_page(
    *, parent: Any = None, title: str = "", slug: str = "", text: str = "Plain text."
) -> StandardPage:
    """A published plain page (under the home page unless a parent is given)."""
    n = next(_counter)
    return services.create_plain_page(
        parent=parent or home_page(),
        title=title or f"Page {n}",
        slug=slug or f"page-{n}",
        body=[("paragraph", RichText(f"<p>{text}</p>"))],
    )
