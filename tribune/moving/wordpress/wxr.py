"""A streaming reader of WordPress eXtended RSS (WXR 1.0-1.2) files.

Plain values out, no Django.  The file is read with defusedxml's iterparse
(expat underneath): a DTD may appear but entity declarations and external
references are refused, so neither "billion laughs" nor a file that points at
the network or the disk gets expanded.  Each author, term and item is handed out
as soon as its end tag is read and then dropped from the tree, so memory stays
bounded by the largest single item, not by the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

import phpserialize
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

# WordPress has written its namespace with http and https and three versions.
_WP_NS = re.compile(r"^https?://wordpress\.org/export/1\.[012]/$")
_EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/1\.[012]/excerpt/$")
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_DC_NS = "http://purl.org/dc/elements/1.1/"
SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
# Post meta of Tribune's own export: a discussion hidden from readers, which
# WordPress cannot say (decision 0031).
HIDDEN_META = "_tribune_comments"


class WXRError(ValueError):
    """A file that cannot be read as a WordPress export."""


@dataclass
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    language: str = ""
    wxr_version: str = ""

    @property
    def key(self) -> str:
        """What tells this site's ids from another's: its blog address."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    author_id: str = ""


@dataclass
class Term:
    taxonomy: str  # category, post_tag, or any other taxonomy
    slug: str
    name: str = ""
    parent: str = ""  # the parent's slug
    term_id: str = ""
    description: str = ""


@dataclass
class Comment:
    comment_id: str
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = "1"
    comment_type: str = ""
    parent: str = "0"
    user_id: str = "0"
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class Item:
    post_id: str
    title: str = ""
    link: str = ""
    creator: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    status: str = ""
    post_type: str = ""
    post_name: str = ""
    post_parent: str = "0"
    comment_status: str = ""
    is_sticky: bool = False
    password: str = ""
    attachment_url: str = ""
    # (domain, nicename, name): domain is "category", "post_tag", ...
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


Record = Site | Author | Term | Item


def _local(tag: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _is_wp(ns: str) -> bool:
    return bool(_WP_NS.match(ns))


def _wp_children(elem: Element) -> dict[str, str]:
    """Texts of the WordPress-namespace children of `elem` (first of each)."""
    found: dict[str, str] = {}
    for child in elem:
        ns, name = _local(child.tag)
        if _is_wp(ns) and name not in found:
            found[name] = (child.text or "").strip()
    return found


def _meta(elem: Element, tag: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for child in elem:
        ns, name = _local(child.tag)
        if _is_wp(ns) and name == tag:
            values = _wp_children(child)
            if values.get("meta_key"):
                meta[values["meta_key"]] = values.get("meta_value", "")
    return meta


def _author(elem: Element) -> Author | None:
    v = _wp_children(elem)
    if not v.get("author_login"):
        return None
    return Author(
        login=v["author_login"],
        email=v.get("author_email", ""),
        display_name=v.get("author_display_name", ""),
        first_name=v.get("author_first_name", ""),
        last_name=v.get("author_last_name", ""),
        author_id=v.get("author_id", ""),
    )


def _term(elem: Element, name: str) -> Term | None:
    v = _wp_children(elem)
    if name == "category":
        taxonomy, slug, label = "category", "category_nicename", "cat_name"
        parent, desc = "category_parent", "category_description"
    elif name == "tag":
        taxonomy, slug, label = "post_tag", "tag_slug", "tag_name"
        parent, desc = "", "tag_description"
    else:
        taxonomy = v.get("term_taxonomy", "")
        slug, label, parent, desc = (
            "term_slug",
            "term_name",
            "term_parent",
            "term_description",
        )
    if not taxonomy or not v.get(slug):
        return None
    return Term(
        taxonomy=taxonomy,
        slug=v[slug],
        name=v.get(label, "") or v[slug],
        parent=v.get(parent, "") if parent else "",
        term_id=v.get("term_id", ""),
        description=v.get(desc, ""),
    )


def _comment(elem: Element) -> Comment | None:
    v = _wp_children(elem)
    if not v.get("comment_id"):
        return None
    return Comment(
        comment_id=v["comment_id"],
        author=v.get("comment_author", ""),
        email=v.get("comment_author_email", ""),
        url=v.get("comment_author_url", ""),
        ip=v.get("comment_author_IP", ""),
        date=v.get("comment_date", ""),
        date_gmt=v.get("comment_date_gmt", ""),
        content=_raw_text(elem, "comment_content"),
        approved=v.get("comment_approved", "1"),
        comment_type=v.get("comment_type", ""),
        parent=v.get("comment_parent", "0") or "0",
        user_id=v.get("comment_user_id", "0") or "0",
        meta=_meta(elem, "commentmeta"),
    )


def _raw_text(elem: Element, wp_name: str) -> str:
    """A WordPress child's text without stripping (content keeps its spacing)."""
    for child in elem:
        ns, name = _local(child.tag)
        if _is_wp(ns) and name == wp_name:
            return child.text or ""
    return ""


# Item fields read from the WordPress namespace: attribute -> element name.
_ITEM_FIELDS = {
    "post_date": "post_date",
    "post_date_gmt": "post_date_gmt",
    "status": "status",
    "post_type": "post_type",
    "post_name": "post_name",
    "comment_status": "comment_status",
    "password": "post_password",
    "attachment_url": "attachment_url",
}


def _item_child(item: Item, child: Element) -> None:
    ns, name = _local(child.tag)
    text = child.text or ""
    if ns == "":
        if name in ("title", "link", "guid"):
            setattr(item, name, text.strip())
        elif name == "category" and child.get("nicename"):
            item.terms.append(
                (child.get("domain", "category"), child.get("nicename", ""), text)
            )
    elif ns == _CONTENT_NS and name == "encoded":
        item.content = text
    elif ns == _DC_NS and name == "creator":
        item.creator = text.strip()
    elif _EXCERPT_NS.match(ns) and name == "encoded":
        item.excerpt = text.strip()
    elif _is_wp(ns) and name == "comment":
        comment = _comment(child)
        if comment is not None:
            item.comments.append(comment)


def _item(elem: Element) -> Item:
    v = _wp_children(elem)
    item = Item(post_id=v.get("post_id", ""))
    for child in elem:
        _item_child(item, child)
    for attribute, name in _ITEM_FIELDS.items():
        setattr(item, attribute, v.get(name, ""))
    item.post_parent = v.get("post_parent", "0") or "0"
    item.is_sticky = v.get("is_sticky", "0") == "1"
    item.meta = _meta(elem, "postmeta")
    return item


def _check_version(site: Site) -> None:
    if not site.wxr_version:
        raise WXRError(
            "This is not a WordPress export: it names no WXR version "
            "(<wp:wxr_version>)."
        )
    if site.wxr_version not in SUPPORTED_VERSIONS:
        raise WXRError(
            f"Unknown WXR version {site.wxr_version[:20]!r}: "
            f"this importer reads {', '.join(SUPPORTED_VERSIONS)}."
        )


_SITE_FIELDS = {"wxr_version", "base_site_url", "base_blog_url"}


def _channel_child(site: Site, elem: Element) -> Record | None:
    """What a finished child of <channel> gives: a record, or a site field."""
    ns, name = _local(elem.tag)
    if ns == "" and name in ("title", "link", "language"):
        setattr(site, name, (elem.text or "").strip())
        return None
    if not _is_wp(ns):
        return _item(elem) if ns == "" and name == "item" else None
    if name in _SITE_FIELDS:
        setattr(site, name, (elem.text or "").strip())
        return None
    if name == "author":
        return _author(elem)
    if name in ("category", "tag", "term"):
        return _term(elem, name)
    return None


def read(source: str | IO[bytes]) -> Iterator[Record]:
    """Yield the Site first, then every author, term and item in file order.

    Raises WXRError for a file that is not well-formed XML, declares entities,
    names an unknown WXR version or none at all.
    """
    site = Site()
    announced = False
    depth = 0
    channel: Element | None = None
    try:
        for event, elem in iterparse(source, events=("start", "end"), forbid_dtd=False):
            if event == "start":
                depth += 1
                if depth == 2 and _local(elem.tag) == ("", "channel"):
                    channel = elem
                continue
            depth -= 1
            if channel is None or depth != 2:
                continue
            record = _channel_child(site, elem)
            if record is not None:
                if not announced:
                    _check_version(site)
                    announced = True
                    yield site
                yield record
            channel.clear()  # drop what has been read: bounded memory
    except ParseError as error:
        raise WXRError(f"The file is not well-formed XML: {error}.") from None
    except DefusedXmlException as error:
        raise WXRError(
            "The file declares entities or points at external resources, "
            f"which are refused for safety ({type(error).__name__})."
        ) from None
    if channel is None:
        raise WXRError("This is not a WordPress export: it has no RSS channel.")
    if not announced:
        _check_version(site)
        yield site


def parse_meta_value(value: str) -> Any:
    """A meta value as WordPress stored it: PHP-serialized arrays read as dicts
    (phpserialize, which builds no objects), anything else returned as it is."""
    if not re.match(r"^[aibdsN][:;]", value):
        return value
    try:
        return phpserialize.loads(value.encode(), decode_strings=True)
    except ValueError:
        return value
