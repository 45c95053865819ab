"""`export_json`: everything the site holds as one documented JSON file, streamed.

The file follows `export.schema.json` beside this module (JSON Schema 2020-12,
described in docs/reference/export-json.md).  Sections are written one record at a
time, so memory does not grow with the site.  Money is a decimal string, never a
float; times are ISO 8601 with their offset.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from importlib import resources
from typing import Any, TextIO
from urllib.parse import urljoin

from wagtail.models import Page, Site

from tribune.core import clock
from tribune.discussion.models import Comment
from tribune.moving.exports import selectors
from tribune.newsroom.models import ArticlePage

FORMAT = "tribune-export"
VERSION = 1
SCHEMA_FILE = "export.schema.json"

DONATION_FIELDS = (
    "id", "provider", "transaction_id", "payment_status", "method", "amount", "fee",
    "net", "currency", "original_amount", "original_currency", "exchange_rate",
    "received_at", "month", "recurring", "public_name", "email", "message", "note",
    "created_at",
)  # fmt: skip
ADJUSTMENT_FIELDS = (
    "id", "provider", "reference", "transaction_id", "kind", "amount", "currency",
    "occurred_at", "created_at",
)  # fmt: skip
CAMPAIGN_FIELDS = (
    "id", "title", "window", "currency", "goal", "starts_on", "ends_on", "is_active",
    "created_at",
)  # fmt: skip
SUBSCRIPTION_FIELDS = (
    "id", "email", "user_id", "scope", "thread__page_id", "comment_id", "delivery",
    "created_at", "confirmed_at",
)  # fmt: skip


def schema() -> dict[str, Any]:
    """The JSON Schema the export follows (shipped in the package)."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _plain(value: object) -> object:
    """JSON's value for the database types json cannot write itself."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _dumps(value: object) -> str:
    return json.dumps(value, default=_plain, ensure_ascii=False, sort_keys=False)


class _Exporter:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.restricted = selectors.restricted_paths()

    def url(self, page: Page) -> str:
        parts = page.get_url_parts()
        return urljoin(self.base_url, parts[2].lstrip("/")) if parts else ""

    def status(self, page: Page) -> str:
        if any(page.path.startswith(path) for path in self.restricted):
            return "restricted"
        if page.live:
            return "published"
        if page.go_live_at and page.go_live_at > clock.now():
            return "scheduled"
        return "draft"

    def image(self, image: Any) -> dict[str, Any] | None:
        if image is None:
            return None
        return {
            "id": image.pk,
            "title": image.title,
            "url": urljoin(self.base_url, image.file.url.lstrip("/")),
        }

    def authors(self) -> Iterator[dict[str, Any]]:
        for author in selectors.list_authors().select_related("photo"):
            yield {
                "id": author.pk,
                "name": author.name,
                "slug": author.slug,
                "role": author.role,
                "bio": author.bio,
                "email": author.email,
                "photo": self.image(author.photo),
            }

    def series(self) -> Iterator[dict[str, Any]]:
        for series in selectors.list_series():
            yield {
                "id": series.pk,
                "title": series.title,
                "slug": series.slug,
                "url": self.url(series),
                "status": self.status(series),
                "description": series.description,
            }

    def topics(self) -> Iterator[dict[str, Any]]:
        for tag in selectors.list_topics():
            yield {"id": tag.pk, "name": tag.name, "slug": tag.slug}

    def _page_fields(self, page: Page) -> dict[str, Any]:
        return {
            "id": page.pk,
            "title": page.title,
            "slug": page.slug,
            "url": self.url(page),
            "status": self.status(page),
            "first_published_at": page.first_published_at,
            "last_published_at": page.last_published_at,
            "go_live_at": page.go_live_at,
            "seo_title": page.seo_title,
            "search_description": page.search_description,
        }

    def reports(self) -> Iterator[dict[str, Any]]:
        for page in selectors.iter_articles():
            yield self.report(page)

    def report(self, page: ArticlePage) -> dict[str, Any]:
        return {
            **self._page_fields(page),
            "series_id": page.get_parent().pk,
            "date": page.date,
            "dateline": page.dateline,
            "lead": page.lead,
            "authors": [author.pk for author in page.authors.all()],
            "topics": [tag.slug for tag in page.tags.all()],
            "comments": page.comments,
            "show_support": page.show_support,
            "image": self.image(page.image),
            "image_caption": page.image_caption,
            "body": list(page.body.get_prep_value()),
        }

    def pages(self) -> Iterator[dict[str, Any]]:
        for page in selectors.iter_plain_pages():
            body = getattr(page, "body", None)
            yield {
                **self._page_fields(page),
                "type": page._meta.label_lower,
                "parent_id": page.get_parent().pk,
                "body": list(body.get_prep_value()) if body is not None else None,
                "comments": getattr(page, "comments", None),
            }

    def comments(self) -> Iterator[dict[str, Any]]:
        for comment in selectors.iter_comments():
            yield comment_record(comment)

    def subscriptions(self) -> Iterator[dict[str, Any]]:
        for row in selectors.iter_values(
            selectors.list_subscriptions(), SUBSCRIPTION_FIELDS
        ):
            row["report_id"] = row.pop("thread__page_id")
            yield row

    def campaigns(self) -> Iterator[dict[str, Any]]:
        months = selectors.list_campaign_months()
        for row in selectors.iter_values(selectors.list_campaigns(), CAMPAIGN_FIELDS):
            row["months"] = months.get(row["id"], [])
            yield row

    def donations(self) -> Iterator[dict[str, Any]]:
        fields = (
            *DONATION_FIELDS,
            "wall_message__public_name",
            "wall_message__message",
            "wall_message__status",
            "wall_message__moderated_at",
        )
        for row in selectors.iter_values(selectors.list_donations(), fields):
            wall = {
                key: row.pop(f"wall_message__{key}")
                for key in ("public_name", "message", "status", "moderated_at")
            }
            row["wall_message"] = wall if wall["status"] else None
            yield row

    def adjustments(self) -> Iterator[dict[str, Any]]:
        yield from selectors.iter_values(
            selectors.list_adjustments(), ADJUSTMENT_FIELDS
        )


def comment_record(comment: Comment) -> dict[str, Any]:
    """One comment as the export writes it (votes as counts)."""
    passage = None
    if comment.passage_state:
        passage = {
            "state": comment.passage_state,
            "block": comment.passage_block,
            "exact": comment.passage_exact,
            "prefix": comment.passage_prefix,
            "suffix": comment.passage_suffix,
            "start": comment.passage_start,
            "end": comment.passage_end,
        }
    return {
        "id": comment.pk,
        "report_id": comment.thread.page_id,
        "parent_id": comment.parent_id,
        "root_id": comment.root_id,
        "depth": comment.depth,
        "status": comment.status,
        "held_reason": comment.held_reason,
        "author_user_id": comment.author_id,
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_website": comment.author_website,
        "ip_address": comment.ip_address,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "deleted_at": comment.deleted_at,
        "body_markdown": comment.body_markdown,
        "body_html": comment.body_html,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "score": comment.score,
        "report_count": comment.report_count,
        "passage": passage,
    }


def _write_list(
    out: TextIO,
    name: str,
    items: Iterable[Any],
    counts: dict[str, int],
    *,
    indent: str = "  ",
    first: bool = False,
) -> None:
    """One `"name": [...]` member, an item per line, written as the items come."""
    out.write(("" if first else ",") + f"\n{indent}{_dumps(name)}: [")
    n = 0
    for item in items:
        out.write(("," if n else "") + f"\n{indent}  " + _dumps(item))
        n += 1
    out.write(f"\n{indent}]" if n else "]")
    counts[name] = n


def export_json(out: TextIO, *, base_url: str) -> dict[str, int]:
    """Write everything as one JSON document to `out`; returns counts per section.

    Reads only.  The file holds commenters', subscribers' and donors' emails and
    commenters' IP addresses: personal data, for the operator.
    """
    exporter = _Exporter(base_url)
    site = Site.objects.filter(is_default_site=True).first()
    counts: dict[str, int] = {}
    out.write("{\n")
    out.write(f'  "format": {_dumps(FORMAT)},\n  "version": {VERSION},\n')
    out.write(f'  "exported_at": {_dumps(clock.now())},\n')
    head = {"name": site.site_name if site else "", "base_url": exporter.base_url}
    out.write(f'  "site": {_dumps(head)}')
    _write_list(out, "authors", exporter.authors(), counts)
    _write_list(out, "series", exporter.series(), counts)
    _write_list(out, "topics", exporter.topics(), counts)
    _write_list(out, "reports", exporter.reports(), counts)
    _write_list(out, "pages", exporter.pages(), counts)
    _write_list(out, "comments", exporter.comments(), counts)
    _write_list(out, "subscriptions", exporter.subscriptions(), counts)
    _write_list(out, "campaigns", exporter.campaigns(), counts)
    out.write(',\n  "ledger": {')
    inner = "    "
    _write_list(
        out, "donations", exporter.donations(), counts, indent=inner, first=True
    )
    _write_list(out, "adjustments", exporter.adjustments(), counts, indent=inner)
    out.write("\n  }\n}\n")
    return counts
