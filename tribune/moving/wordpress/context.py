"""What every step of one WordPress import shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from taggit.models import Tag

from tribune.core import clock
from tribune.moving.wordpress import wxr
from tribune.moving.wordpress.ledger import Ledger
from tribune.moving.wordpress.media import Images
from tribune.moving.wordpress.report import Report
from tribune.newsroom.models import Author, HomePage, SeriesPage


@dataclass
class Run:
    site: wxr.Site
    home: HomePage
    ledger: Ledger
    report: Report
    uploads: Path | None = None
    images: Images = field(default_factory=Images)
    authors: dict[str, Author] = field(default_factory=dict)
    # category slug -> its series page (categories that are series)
    series: dict[str, SeriesPage] = field(default_factory=dict)
    # term slug -> topic name (tags, and categories that are not series)
    topics: dict[str, Tag] = field(default_factory=dict)
    # category slug -> parent slug, for nested category addresses
    category_parents: dict[str, str] = field(default_factory=dict)
    # category slug -> WordPress term id, for "/?cat=ID"
    category_ids: dict[str, str] = field(default_factory=dict)
    # WordPress page id -> its parent's id, for arranging the plain pages at the end
    page_parents: dict[str, str] = field(default_factory=dict)
    started: dt.datetime = field(default_factory=clock.now)
    zone: str = field(default_factory=lambda: str(settings.TIME_ZONE))
