"""A WordPress post to a report (ArticlePage), a page to a plain page (StandardPage),
with their redirects."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, PageViewRestriction

from tribune.core import clock
from tribune.moving import conf, redirects
from tribune.moving.wordpress import content, dates, wxr
from tribune.moving.wordpress.context import Run
from tribune.moving.wordpress.ledger import fingerprint
from tribune.moving.wordpress.taxonomy import is_series, series_for, taken_by_route
from tribune.newsroom.models import ArticlePage, CommentsMode, StandardPage

LEAD_LENGTH = 300
# Post types that hold no reader-facing content of their own.
NOT_CONTENT = {
    "nav_menu_item",
    "wp_navigation",
    "revision",
    "custom_css",
    "customize_changeset",
    "oembed_cache",
    "user_request",
    "wp_block",
    "wp_template",
    "wp_template_part",
    "wp_global_styles",
    "wp_font_family",
    "wp_font_face",
}
PINGS = {"pingback", "trackback"}
SKIPPED_STATUSES = {"trash": "in the trash", "auto-draft": "an unsaved auto-draft"}


@dataclass
class Imported:
    """A post as it became here: its page, its body's feedback prompts."""

    page: ArticlePage | StandardPage
    prompts: dict[str, str]  # wpDiscuz feedback form id -> stream block id
    outcome: str


def _lead(item: wxr.Item, body: list[dict[str, Any]]) -> str:
    lead = content.text_of(item.excerpt)
    if not lead:
        first = next((b for b in body if b["type"] == "paragraph"), None)
        lead = content.text_of(first["value"]) if first else ""
    lead = lead or item.title or "…"
    if len(lead) > LEAD_LENGTH:
        lead = lead[: LEAD_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return lead


def _with_ids(item: wxr.Item, blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stable block ids (so a rerun of the same post writes the same body)."""
    for n, block in enumerate(blocks):
        block["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"wp:{item.post_id}:{n}"))
    return blocks


def _wpdiscuz_closed(item: wxr.Item) -> bool:
    return item.meta.get("wpdiscuz_closed") in ("1", "yes", "true")


def _comments_mode(item: wxr.Item) -> str:
    if item.meta.get(wxr.HIDDEN_META) == "hidden":  # Tribune's own export
        return CommentsMode.HIDDEN
    if _wpdiscuz_closed(item):
        return CommentsMode.CLOSED
    if item.comment_status == "closed":
        return CommentsMode.CLOSED
    return CommentsMode.OPEN if item.comment_status == "open" else CommentsMode.DEFAULT


def _added_later(item: wxr.Item) -> list[str]:
    """Fingerprint parts added later: only when present, so the fingerprints of
    posts without them (every earlier import) stay as they were."""
    parts = [_dateline(item)] if _dateline(item) else []
    if wxr.HIDDEN_META in item.meta:
        parts.append(item.meta[wxr.HIDDEN_META])
    return parts


def page_comments_mode(item: wxr.Item) -> str:
    """A WordPress page's discussion (decision 0031): open or closed like a
    post's, but hidden when its comments were closed and it has none, as plain
    pages are by default."""
    mode = _comments_mode(item)
    if mode != CommentsMode.CLOSED or _wpdiscuz_closed(item):
        return mode
    keep_pings = conf.keep_pingbacks()
    kept = [c for c in item.comments if keep_pings or c.comment_type not in PINGS]
    return mode if kept else CommentsMode.HIDDEN


def _model(item: wxr.Item) -> type[ArticlePage] | type[StandardPage]:
    return StandardPage if item.post_type == "page" else ArticlePage


def _parent(item: wxr.Item, run: Run) -> Page:
    if item.post_type == "page":
        return page_parent(item.post_parent, run) or run.home
    for domain, nicename, _name in item.terms:
        if domain == "category" and is_series(nicename) and nicename in run.series:
            return run.series[nicename]
    slug, title = conf.default_series()
    return series_for(run, slug, title)


def _topics(item: wxr.Item, run: Run, parent: Page) -> list[Any]:
    found = []
    for domain, nicename, _name in item.terms:
        if nicename in run.topics and domain in ("category", "post_tag"):
            found.append(run.topics[nicename])
        elif domain == "category" and run.series.get(nicename) not in (None, parent):
            series = run.series[nicename]
            run.report.note("post", item.post_id, f"also in category {series.title!r}")
    return found


def page_parent(post_parent: str, run: Run) -> StandardPage | None:
    """The plain page a WordPress page's parent became, once it is imported."""
    if post_parent in ("", "0"):
        return None
    found: StandardPage | None = run.ledger.target("page", post_parent, StandardPage)
    return found


def free_slug(wanted: str, parent: Page, page: Page | None) -> str:
    """`wanted`, or `wanted-2`, `-3` ... when a sibling (or, under the home page,
    one of the site's own addresses) has it already."""
    siblings = parent.get_children().exclude(pk=page.pk if page else None)
    at_root = parent.depth <= 2  # the home page: "/<slug>/" may be a view
    slug, n = wanted, 1
    while siblings.filter(slug=slug).exists() or (at_root and taken_by_route(slug)):
        n += 1
        slug = f"{wanted}-{n}"
    return slug


def _slug(item: wxr.Item, parent: Page, page: Page | None, run: Run) -> str:
    wanted = (slugify(item.post_name) or slugify(item.title) or f"post-{item.post_id}")[
        :240
    ]
    slug = free_slug(wanted, parent, page)
    if slug != wanted:
        run.report.note(
            item.post_type, item.post_id, f"duplicate slug {wanted!r}, now {slug!r}"
        )
    return slug


def _fields(item: wxr.Item, run: Run, body: list[dict[str, Any]]) -> dict[str, Any]:
    when = dates.parse(item.post_date, item.post_date_gmt, run.zone) or clock.now()
    fields = {
        "title": (item.title or f"({item.post_type} {item.post_id})")[:255],
        "body": body,
        "first_published_at": when,
        "go_live_at": when if item.status == "future" else None,
        "seo_title": "",
    }
    if item.post_type == "page":
        return {**fields, "comments": page_comments_mode(item)}
    return {
        **fields,
        "date": when.astimezone(dt.UTC).astimezone(_zone(run)).date(),
        "lead": _lead(item, body),
        "comments": _comments_mode(item),
        "pinned": item.is_sticky,
        # WordPress's featured image, if its attachment's file came in.
        "image_id": run.images.by_id.get(item.meta.get("_thumbnail_id", "")),
        # Tribune's own exports: the lead picture's caption on this report.
        "image_caption": item.meta.get("_tribune_image_caption", "")[:300],
        # Tribune's own exports: where the report was filed from.
        "dateline": _dateline(item),
    }


def _page_discussion(item: wxr.Item) -> list[str]:
    # Added later, only for pages with a discussion: earlier imports of pages
    # without one rerun unchanged, pages with comments gain their discussion.
    if item.post_type != "page":
        return []
    mode = page_comments_mode(item)
    return [] if mode == CommentsMode.HIDDEN else [mode]


def _dateline(item: wxr.Item) -> str:
    return " ".join(item.meta.get("_tribune_dateline", "").split())[:80]


def _zone(run: Run) -> dt.tzinfo:
    import zoneinfo

    return zoneinfo.ZoneInfo(run.zone)


def _restrict(page: Page, item: wxr.Item) -> None:
    PageViewRestriction.objects.filter(page=page).delete()
    if item.password:
        PageViewRestriction.objects.create(
            page=page,
            restriction_type=PageViewRestriction.PASSWORD,
            password=item.password[:255],
        )
    elif item.status == "private":
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.LOGIN
        )


def _publish(page: Page, item: wxr.Item) -> None:
    revision = page.save_revision()
    if item.status in ("publish", "private", "future"):
        revision.publish()
        if item.status != "future":
            Page.objects.filter(pk=page.pk).update(
                first_published_at=page.first_published_at,
                last_published_at=page.first_published_at,
            )


def import_post(item: wxr.Item, run: Run) -> Imported | None:
    """Make or update the report of a post or page.  The caller holds the
    transaction; None when the item is not imported (the report says why)."""
    converted = content.convert(
        item.content,
        resolve=run.images.resolve,
        gallery=run.images.children.get(item.post_id, ()),
        resolve_document=run.images.resolve_document,
    )
    body = _with_ids(item, converted.blocks)
    for name in dict.fromkeys(converted.unknown_shortcodes):
        run.report.note(
            item.post_type, item.post_id, f"shortcode [{name}] kept as text"
        )
    for address in converted.missing_images:
        run.report.note(item.post_type, item.post_id, f"image missing: {address}")
    for address in converted.missing_files:
        run.report.note(item.post_type, item.post_id, f"file missing: {address}")
    featured = item.meta.get("_thumbnail_id", "")
    if featured and featured not in run.images.by_id:
        run.report.note(
            item.post_type,
            item.post_id,
            f"featured image missing: attachment {featured}",
        )
    for address in converted.external_media:
        run.report.note(
            item.post_type, item.post_id, f"media on another site, linked: {address}"
        )
    for name in dict.fromkeys(converted.dropped_blocks):
        run.report.note(
            item.post_type, item.post_id, f"block wp:{name} has no equivalent"
        )
    print_ = fingerprint(
        [
            item.title,
            item.post_name,
            item.status,
            item.excerpt,
            item.content,
            item.comment_status,
            item.terms,
            item.creator,
            item.password,
            item.post_date,
            item.meta.get("wpdiscuz_closed", ""),
            run.images.by_id.get(item.meta.get("_thumbnail_id", "")),
            item.meta.get("_tribune_image_caption", ""),
            item.is_sticky,
            item.post_parent,
            body,
            *_added_later(item),
            *_page_discussion(item),
        ]
    )
    record = run.ledger.record(item.post_type, item.post_id)
    page = (
        run.ledger.target(item.post_type, item.post_id, _model(item))
        if record
        else None
    )
    if page is not None and record is not None and record.fingerprint == print_:
        outcome = "unchanged"
    else:
        page, outcome = _save(item, run, body, page)
        run.ledger.remember(item.post_type, item.post_id, page, print_)
    if item.post_type == "page":
        run.page_parents[item.post_id] = item.post_parent
    prompts = {form: body[index]["id"] for form, index in converted.prompts.items()}
    _redirect(item, run, page)
    return Imported(page, prompts, outcome)


def _save(
    item: wxr.Item, run: Run, body: list[dict[str, Any]], page: Any
) -> tuple[Any, str]:
    fields = _fields(item, run, body)
    if page is None:
        parent = _parent(item, run)
        page = _model(item)(slug=_slug(item, parent, None, run), live=False, **fields)
        _byline(item, run, parent, page)
        parent.add_child(instance=page)
        outcome = "created"
    else:
        parent = page.get_parent().specific
        for name, value in fields.items():
            setattr(page, name, value)
        page.slug = _slug(item, parent, page, run)
        _byline(item, run, parent, page)
        outcome = "updated"
    _restrict(page, item)
    _publish(page, item)
    page.refresh_from_db()
    return page, outcome


def _byline(item: wxr.Item, run: Run, parent: Page, page: Page) -> None:
    """A report's authors and topics (plain pages have neither)."""
    if isinstance(page, ArticlePage):
        page.authors.set(
            [run.authors[item.creator]] if item.creator in run.authors else []
        )
        page.tags.set(_topics(item, run, parent))


def _redirect(item: wxr.Item, run: Run, page: Page) -> None:
    key = "page_id" if item.post_type == "page" else "p"
    paths = [f"/?{key}={item.post_id}"]
    for link in (item.link, item.guid):
        path = redirects.old_path(link, run.site.link) if link else None
        if path and "?" not in path:
            paths += [path, f"{path}/feed"]
        elif path:
            paths.append(path)
    redirects.point_to_page([p for p in paths if p], page)


def arrange_pages(run: Run) -> None:
    """Put every imported plain page under the page its WordPress parent became.
    WordPress exports children before their parents at times, so this runs once
    all pages are in; a page whose parent is not in the export stays under the
    home page (listed)."""
    for post_id, post_parent in run.page_parents.items():
        page = run.ledger.target("page", post_id, StandardPage)
        if page is None:
            continue
        parent = page_parent(post_parent, run)
        if parent is None and post_parent not in ("", "0"):
            run.report.note("page", post_id, f"parent page {post_parent} not imported")
        parent = parent or run.home
        if page.get_parent().pk == parent.pk or parent.path.startswith(page.path):
            continue
        with transaction.atomic():
            _move(page, parent, post_id, run)


def _move(page: StandardPage, parent: Page, post_id: str, run: Run) -> None:
    slug = free_slug(page.slug, parent, page)
    page.move(parent, pos="last-child")
    if slug == page.slug:
        return
    run.report.note("page", post_id, f"duplicate slug {page.slug!r}, now {slug!r}")
    page = StandardPage.objects.get(pk=page.pk)
    page.slug = slug
    if page.live:
        page.save_revision().publish()
    else:
        page.save()
