"""`export_wordpress`: the whole site as a WordPress eXtended RSS (WXR 1.2) file.

The shape follows what WordPress's own exporter writes (wp-admin/includes/export.php)
and its importer reads (wordpress-importer's parsers): RSS 2.0 with the `wp`,
`excerpt`, `content`, `wfw` and `dc` namespaces, `wp:wxr_version` 1.2, authors,
categories (series), tags (topics), then one `<item>` per report or page with its
comments. Votes go out as wpDiscuz keeps them: comment meta `wpdiscuz_votes` and
`wpdiscuz_votes_seperate`. Written as read: memory does not grow with the site.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from email.utils import format_datetime
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from urllib.parse import urljoin

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site
from wagtail.rich_text import RichText, expand_db_html

from tribune.core import clock
from tribune.discussion.models import Comment, Status
from tribune.moving import conf
from tribune.moving.exports import attachments, selectors
from tribune.moving.exports.attachments import Attachment, UsedFiles
from tribune.moving.exports.xmlwriter import XmlWriter
from tribune.moving.wordpress.wxr import HIDDEN_META
from tribune.newsroom.blocks import clean_html
from tribune.newsroom.models import ArticlePage, CommentsMode

WXR_VERSION = "1.2"
NAMESPACES = {
    "xmlns:excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
    "xmlns:wfw": "http://wellformedweb.org/CommentAPI/",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
    "xmlns:wp": "http://wordpress.org/export/1.2/",
}
COMMENT_APPROVED: dict[str, str] = {
    Status.APPROVED: "1",
    Status.PENDING: "0",
    Status.SPAM: "spam",
    Status.DELETED: "trash",
}


def mysql_time(value: dt.datetime | None, *, gmt: bool = False) -> str:
    """WordPress's `Y-m-d H:i:s` in the site's time zone (or UTC)."""
    if value is None:
        return "0000-00-00 00:00:00"
    local = value.astimezone(dt.UTC) if gmt else timezone.localtime(value)
    return local.strftime("%Y-%m-%d %H:%M:%S")


def gutenberg_attrs(attrs: dict[str, Any]) -> str:
    """Block attributes as WordPress serializes them inside `<!-- wp:... -->`."""
    text = json.dumps(attrs, separators=(",", ":"), ensure_ascii=False)
    # serialize_block_attributes(): nothing that could end the HTML comment.
    for char, code in (("--", "\\u002d\\u002d"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, code)
    return text.replace("&", "\\u0026").replace('\\"', "\\u0022")


def php_votes(upvotes: int, downvotes: int) -> str:
    """wpDiscuz's `wpdiscuz_votes_seperate` value: a PHP-serialized array."""
    return f'a:2:{{s:4:"like";i:{upvotes};s:7:"dislike";i:{downvotes};}}'


def _inner_html(rich: Any) -> str:
    html = expand_db_html(rich.source if isinstance(rich, RichText) else str(rich))
    html = html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def _heading(value: Any, base_url: str) -> dict[str, Any]:
    return {"tag": "h3" if value["level"] == "h3" else "h2"}


def _figure(value: Any, base_url: str) -> dict[str, Any]:
    image = value["image"]
    if image is None:
        return {"type": "skip"}
    return {"src": urljoin(base_url, image.file.url), "alt": image.title}


def _media(value: Any, base_url: str) -> dict[str, Any]:
    document = value["document"]
    if document is None:
        return {"type": "skip"}
    return {"src": urljoin(base_url, document.url), "title": document.title}


def _embed(value: Any, base_url: str) -> dict[str, Any]:
    if value is None:
        return {"type": "skip"}
    return {
        "url": value.url,
        "attrs": mark_safe(gutenberg_attrs({"url": value.url})),  # noqa: S308
    }


def _table(value: Any, base_url: str) -> dict[str, Any]:
    rows = list((value or {}).get("data") or [])
    head = []
    if value and value.get("first_row_is_table_header") and rows:
        head, rows = rows[0], rows[1:]
    return {"head": head, "rows": rows, "caption": (value or {}).get("table_caption")}


def _html(value: Any, base_url: str) -> dict[str, Any]:
    # Cleaned again as the site shows it (newsroom.blocks.HTMLBlock).
    return {"html": mark_safe(clean_html(str(value or "")))}  # noqa: S308


_BLOCKS: dict[str, Callable[[Any, str], dict[str, Any]]] = {
    "heading": _heading,
    "figure": _figure,
    "media": _media,
    "embed": _embed,
    "table": _table,
    "html": _html,
}


def _attach(item: dict[str, Any], block: Any, files: UsedFiles, parent: int) -> None:
    """Files the block uses become attachments; the markup names their ids as
    WordPress's image, audio, video and file blocks do."""
    value, found = block.value, None
    if block.block_type == "figure" and value["image"] is not None:
        found = files.image(value["image"], parent)
    elif block.block_type == "media" and value["document"] is not None:
        found = files.document(value["document"], parent)
    elif block.block_type == "paragraph":
        source = getattr(value, "source", str(value))
        met = files.in_rich_text(source, parent)
        html = expand_db_html(attachments.pictures_as_wordpress(source, met))
        html = attachments.absolute_document_links(html, met)
        item["html"] = mark_safe(html)  # noqa: S308 - Wagtail's own rich text
    if found is not None:
        attrs: dict[str, Any] = {"id": found.wp_id}
        if block.block_type == "media" and value["player"] not in ("audio", "video"):
            attrs["href"] = found.url
        item.update(src=found.url, wp_id=found.wp_id)
        item["attrs"] = mark_safe(" " + gutenberg_attrs(attrs))  # noqa: S308


def _block_context(
    block: Any, base_url: str, files: UsedFiles | None = None, parent: int = 0
) -> dict[str, Any]:
    item: dict[str, Any] = {"type": block.block_type, "value": block.value}
    if block.block_type in _BLOCKS:
        item.update(_BLOCKS[block.block_type](block.value, base_url))
    elif block.block_type == "feedback_prompt":
        item["key"] = (block.id or "")[:8]
        # The editor's own rich text, already cleaned by Wagtail.
        item["passage"] = mark_safe(_inner_html(block.value["passage"]))  # noqa: S308
    if files is not None:
        _attach(item, block, files, parent)
    return item


def render_body(page: Any, base_url: str, files: UsedFiles | None = None) -> str:
    """A page's StreamField body as WordPress block markup (classic HTML
    paragraphs); the images and documents it uses are added to `files`."""
    body = getattr(page, "body", None)
    if body is None:
        return ""
    blocks = [_block_context(block, base_url, files, page.pk) for block in body]
    return render_to_string("moving/wxr/body.html", {"blocks": blocks}).strip()


def _parent_path(page: Page) -> str:
    """The tree path of a page's parent, without a query (treebeard paths)."""
    return page.path[: -page.steplen]


class WxrExport:
    """Writes one WXR file; terms get WordPress ids in the order they are written."""

    def __init__(
        self, out: TextIO, *, base_url: str, uploads: Path | None = None
    ) -> None:
        self.xml = XmlWriter(out)
        self.base_url = base_url.rstrip("/") + "/"
        self.uploads = uploads
        self.files = UsedFiles(self.base_url)
        self.series_terms: dict[str, tuple[str, str]] = {}
        self.series_slugs: dict[str, str] = {}
        self.restricted: list[str] = []
        self.roots = set(selectors.home_paths())
        self.counts = {
            "authors": 0,
            "series": 0,
            "topics": 0,
            "items": 0,
            "comments": 0,
            "attachments": 0,
        }

    def url(self, page: Page) -> str:
        """The page's address under `base_url` (the site's own address by default)."""
        parts = page.get_url_parts()
        path = parts[2] if parts else f"/?page_id={page.pk}"
        return urljoin(self.base_url, path.lstrip("/"))

    def write(self) -> dict[str, int]:
        x = self.xml
        x.declaration()
        x.comment(
            "A WordPress eXtended RSS file written by Tribune's export_wordpress. "
            "Import it with WordPress's Tools > Import > WordPress."
        )
        x.out.write(
            '<rss version="2.0"'
            + "".join(f' {key}="{value}"' for key, value in NAMESPACES.items())
            + ">\n"
        )
        x.depth = 0
        x.start("channel")
        self._channel_head()
        self._authors()
        self._terms()
        self.restricted = selectors.restricted_paths()
        pages_slug = conf.pages_series()[0]
        for article in selectors.iter_articles():
            # The WordPress import files pages as reports of one series.
            in_pages = self.series_slugs.get(_parent_path(article)) == pages_slug
            self._item(article, post_type="page" if in_pages else "post")
        for page in selectors.iter_plain_pages():
            self._item(page, post_type="page")
        for attachment in self.files.found.values():
            self._attachment(attachment)
        x.end("channel")
        x.out.write("</rss>\n")
        return self.counts

    def _channel_head(self) -> None:
        x = self.xml
        site = Site.objects.filter(is_default_site=True).first()
        x.text("title", site.site_name if site else "Tribune")
        x.text("link", self.base_url)
        x.text("description", "")
        x.text("pubDate", format_datetime(clock.now().astimezone(dt.UTC)))
        x.text("language", "en")
        x.text("wp:wxr_version", WXR_VERSION)
        x.text("wp:base_site_url", self.base_url)
        x.text("wp:base_blog_url", self.base_url)

    def _authors(self) -> None:
        x = self.xml
        for author in selectors.list_authors():
            first, _, last = author.name.partition(" ")
            x.start("wp:author")
            x.text("wp:author_id", author.pk)
            x.cdata("wp:author_login", author.slug)
            x.cdata("wp:author_email", author.email)
            x.cdata("wp:author_display_name", author.name)
            x.cdata("wp:author_first_name", first)
            x.cdata("wp:author_last_name", last)
            x.end("wp:author")
            self.counts["authors"] += 1

    def _terms(self) -> None:
        x = self.xml
        term_id = 0
        pages_slug = conf.pages_series()[0]
        for series in selectors.list_series():
            self.series_slugs[series.path] = series.slug
            if series.slug == pages_slug:
                continue
            term_id += 1
            self.series_terms[series.path] = (series.slug, series.title)
            x.start("wp:category")
            x.text("wp:term_id", term_id)
            x.cdata("wp:category_nicename", series.slug)
            x.cdata("wp:category_parent", "")
            x.cdata("wp:cat_name", series.title)
            x.cdata("wp:category_description", expand_db_html(series.description))
            x.end("wp:category")
            self.counts["series"] += 1
        for tag in selectors.list_topics():
            term_id += 1
            x.start("wp:tag")
            x.text("wp:term_id", term_id)
            x.cdata("wp:tag_slug", tag.slug)
            x.cdata("wp:tag_name", tag.name)
            x.end("wp:tag")
            self.counts["topics"] += 1

    def _status(self, page: Page) -> str:
        if any(page.path.startswith(path) for path in self.restricted):
            return "private"
        if page.live:
            return "publish"
        if page.go_live_at and page.go_live_at > clock.now():
            return "future"
        return "draft"

    def _published(self, page: Page) -> dt.datetime:
        when = (
            page.first_published_at
            or page.go_live_at
            or page.latest_revision_created_at
        )
        if isinstance(page, ArticlePage):
            local = timezone.localtime(when) if when else None
            if local is None or local.date() != page.date:
                local = timezone.make_aware(dt.datetime.combine(page.date, dt.time()))
            return local
        return when or clock.now()

    def _item(self, page: Any, *, post_type: str) -> None:
        x = self.xml
        published = self._published(page)
        link = self.url(page)
        is_article = isinstance(page, ArticlePage)
        authors = list(page.authors.all()) if is_article else []
        x.start("item")
        x.cdata("title", page.title)
        x.text("link", link)
        x.text("pubDate", format_datetime(published.astimezone(dt.UTC)))
        x.cdata("dc:creator", authors[0].slug if authors else "")
        x.text("guid", link, {"isPermaLink": "false"})
        x.text("description", "")
        x.cdata("content:encoded", render_body(page, self.base_url, self.files))
        x.cdata("excerpt:encoded", getattr(page, "lead", "") or "")
        x.text("wp:post_id", page.pk)
        x.cdata("wp:post_date", mysql_time(published))
        x.cdata("wp:post_date_gmt", mysql_time(published, gmt=True))
        x.cdata("wp:post_modified", mysql_time(page.last_published_at or published))
        x.cdata(
            "wp:post_modified_gmt",
            mysql_time(page.last_published_at or published, gmt=True),
        )
        x.cdata("wp:comment_status", self._comment_status(page))
        x.cdata("wp:ping_status", "closed")
        x.cdata("wp:post_name", page.slug)
        x.cdata("wp:status", self._status(page))
        x.text("wp:post_parent", self._post_parent(page, is_article))
        x.text("wp:menu_order", 0)
        x.cdata("wp:post_type", post_type)
        x.cdata("wp:post_password", "")
        x.text("wp:is_sticky", int(bool(getattr(page, "pinned", False))))
        if is_article:
            self._article_terms(page, authors)
        elif getattr(page, "comments", None) == CommentsMode.CLOSED:
            self._meta("wp:postmeta", "wpdiscuz_closed", "1")
        if getattr(page, "comments", None) == CommentsMode.HIDDEN:  # not in WordPress
            self._meta("wp:postmeta", HIDDEN_META, "hidden")
        self.counts["items"] += 1
        # Plain pages too: one may carry a discussion (decision 0031).
        self._comments(page)
        x.end("item")

    def _attachment(self, attachment: Attachment) -> None:
        """An `attachment` item as WordPress's exporter writes one; its file is
        copied below `uploads` when the export has one."""
        x = self.xml
        created = attachment.created_at
        x.start("item")
        x.cdata("title", attachment.title)
        x.text("link", attachment.url)
        x.text("pubDate", format_datetime(created.astimezone(dt.UTC)))
        x.cdata("dc:creator", "")
        x.text("guid", attachment.url, {"isPermaLink": "false"})
        x.text("description", "")
        x.cdata("content:encoded", "")
        x.cdata("excerpt:encoded", "")
        x.text("wp:post_id", attachment.wp_id)
        x.cdata("wp:post_date", mysql_time(created))
        x.cdata("wp:post_date_gmt", mysql_time(created, gmt=True))
        x.cdata("wp:comment_status", "closed")
        x.cdata("wp:ping_status", "closed")
        x.cdata("wp:post_name", PurePosixPath(attachment.relative).stem.lower())
        x.cdata("wp:status", "inherit")
        x.text("wp:post_parent", attachment.parent)
        x.text("wp:menu_order", 0)
        x.cdata("wp:post_type", "attachment")
        x.cdata("wp:post_password", "")
        x.text("wp:is_sticky", 0)
        x.cdata("wp:attachment_url", attachment.url)
        self._meta("wp:postmeta", "_wp_attached_file", attachment.relative)
        if attachment.alt:
            self._meta("wp:postmeta", "_wp_attachment_image_alt", attachment.alt)
        x.end("item")
        if self.uploads is not None:
            attachments.copy_file(attachment, self.uploads)
        self.counts["attachments"] += 1

    def _post_parent(self, page: Page, is_article: bool) -> int:
        """The parent's id for a page below another plain page, else 0."""
        path = _parent_path(page)
        if is_article or path in self.roots:
            return 0
        return Page.objects.filter(path=path).values_list("pk", flat=True).first() or 0

    @staticmethod
    def _comment_status(page: Any) -> str:
        """open, closed, or empty for the site default (WordPress then applies
        its own `default_comment_status`)."""
        mode = getattr(page, "comments", CommentsMode.CLOSED)
        if mode == CommentsMode.DEFAULT:
            return ""
        return "open" if mode == CommentsMode.OPEN else "closed"

    def _article_terms(self, page: ArticlePage, authors: Iterable[Any]) -> None:
        x = self.xml
        series = self.series_terms.get(_parent_path(page))
        if series:
            x.cdata(
                "category", series[1], {"domain": "category", "nicename": series[0]}
            )
        for tag in page.tags.all():
            x.cdata("category", tag.name, {"domain": "post_tag", "nicename": tag.slug})
        # Further bylines as the Co-Authors Plus plugin exports them.
        for author in list(authors)[1:]:
            x.cdata(
                "category",
                author.name,
                {"domain": "author", "nicename": f"cap-{author.slug}"},
            )
        if page.dateline:
            self._meta("wp:postmeta", "_tribune_dateline", page.dateline)
        if page.image is not None:  # the lead picture: WordPress's featured image
            lead = self.files.image(page.image, page.pk)
            self._meta("wp:postmeta", "_thumbnail_id", str(lead.wp_id))
            if page.image_caption:  # the report's own, not the picture's
                self._meta("wp:postmeta", "_tribune_image_caption", page.image_caption)
        if page.comments == CommentsMode.CLOSED:
            self._meta("wp:postmeta", "wpdiscuz_closed", "1")

    def _meta(self, tag: str, key: str, value: str) -> None:
        self.xml.start(tag)
        self.xml.cdata("wp:meta_key", key)
        self.xml.cdata("wp:meta_value", value)
        self.xml.end(tag)

    def _comments(self, page: Page) -> None:
        thread = selectors.thread_of(page.pk)
        if thread is None:
            return
        for comment in selectors.iter_thread_comments(thread.pk):
            self._comment(comment)

    def _comment(self, comment: Comment) -> None:
        x = self.xml
        x.start("wp:comment")
        x.text("wp:comment_id", comment.pk)
        x.cdata("wp:comment_author", comment.author_name)
        x.cdata("wp:comment_author_email", comment.author_email)
        x.text("wp:comment_author_url", comment.author_website)
        x.text("wp:comment_author_IP", comment.ip_address or "")
        x.cdata("wp:comment_date", mysql_time(comment.created_at))
        x.cdata("wp:comment_date_gmt", mysql_time(comment.created_at, gmt=True))
        x.cdata("wp:comment_content", comment.body_html)
        x.cdata("wp:comment_approved", COMMENT_APPROVED.get(comment.status, "0"))
        x.cdata("wp:comment_type", "comment")
        x.text("wp:comment_parent", comment.parent_id or 0)
        x.text("wp:comment_user_id", 0)
        self._meta("wp:commentmeta", "wpdiscuz_votes", str(comment.score))
        self._meta(
            "wp:commentmeta",
            "wpdiscuz_votes_seperate",
            php_votes(comment.upvotes, comment.downvotes),
        )
        if comment.edited_at:
            self._meta(
                "wp:commentmeta",
                "wpdiscuz_last_edited_at",
                mysql_time(comment.edited_at),
            )
        if comment.passage_block:
            self._meta(
                "wp:commentmeta",
                "wpdiscuz_feedback_form_id",
                comment.passage_block.split(".")[0][:8],
            )
        x.end("wp:comment")
        self.counts["comments"] += 1


def export_wordpress(
    out: TextIO, *, base_url: str, uploads: Path | None = None
) -> dict[str, int]:
    """Write the site as WXR 1.2 to `out`; returns counts of what was written.
    With `uploads`, the files of the attachments are copied there (a folder laid
    out like wp-content/uploads).

    Reads the site only.  Commenters' and authors' emails and IP addresses are in the
    file: it is personal data, for the operator.
    """
    return WxrExport(out, base_url=base_url, uploads=uploads).write()
