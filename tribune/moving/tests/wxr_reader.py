"""An independent WXR reader for tests, shaped after WordPress's importer.

It mirrors wordpress-importer's WXR_Parser_SimpleXML: the `wp` and `excerpt`
namespaces are taken from the document (any export version), `wp:wxr_version` must
be `digits.digits`, and authors, categories, tags and items with their meta and
comments are read from the same paths.  It shares no code with the exporter.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET

CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"


class WxrError(Exception):
    pass


def _namespaces(path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for _event, (prefix, uri) in SafeET.iterparse(str(path), events=("start-ns",)):
        found.setdefault(prefix, uri)
    return found


def _t(element: Element | None, tag: str) -> str:
    if element is None:
        return ""
    return element.findtext(tag) or ""


def _meta(item: Element, wp: str, tag: str) -> dict[str, str]:
    return {
        _t(meta, f"{{{wp}}}meta_key"): _t(meta, f"{{{wp}}}meta_value")
        for meta in item.findall(f"{{{wp}}}{tag}")
    }


def _comment(comment: Element, wp: str) -> dict[str, Any]:
    def w(name: str) -> str:
        return _t(comment, f"{{{wp}}}{name}")

    return {
        "comment_id": int(w("comment_id")),
        "comment_author": w("comment_author"),
        "comment_author_email": w("comment_author_email"),
        "comment_author_url": w("comment_author_url"),
        "comment_author_IP": w("comment_author_IP"),
        "comment_date": w("comment_date"),
        "comment_date_gmt": w("comment_date_gmt"),
        "comment_content": w("comment_content"),
        "comment_approved": w("comment_approved"),
        "comment_type": w("comment_type"),
        "comment_parent": int(w("comment_parent") or 0),
        "commentmeta": _meta(comment, wp, "commentmeta"),
    }


def _post(item: Element, wp: str, excerpt: str) -> dict[str, Any]:
    def w(name: str) -> str:
        return _t(item, f"{{{wp}}}{name}")

    return {
        "post_title": _t(item, "title"),
        "guid": _t(item, "guid"),
        "link": _t(item, "link"),
        "post_author": _t(item, f"{{{DC}}}creator"),
        "post_content": _t(item, f"{{{CONTENT}}}encoded"),
        "post_excerpt": _t(item, f"{{{excerpt}}}encoded"),
        "post_id": int(w("post_id")),
        "post_date": w("post_date"),
        "post_date_gmt": w("post_date_gmt"),
        "comment_status": w("comment_status"),
        "post_name": w("post_name"),
        "status": w("status"),
        "post_type": w("post_type"),
        "is_sticky": w("is_sticky"),
        "post_parent": int(w("post_parent") or 0),
        "attachment_url": w("attachment_url"),
        "terms": [
            {"domain": c.get("domain"), "slug": c.get("nicename"), "name": c.text or ""}
            for c in item.findall("category")
        ],
        "postmeta": _meta(item, wp, "postmeta"),
        "comments": [_comment(c, wp) for c in item.findall(f"{{{wp}}}comment")],
    }


def parse(path: Path) -> dict[str, Any]:
    """What the WordPress importer would see in `path`; raises WxrError as it would."""
    namespaces = _namespaces(path)
    wp = namespaces.get("wp")
    if not wp:
        raise WxrError(
            "This does not appear to be a WXR file, missing/invalid WXR version number"
        )
    excerpt = namespaces.get("excerpt", "")
    root = SafeET.parse(str(path)).getroot()
    version = root.findtext(f"channel/{{{wp}}}wxr_version") or ""
    if not re.fullmatch(r"\d+\.\d+", version):
        raise WxrError(
            "This does not appear to be a WXR file, missing/invalid WXR version number"
        )
    channel = root.find("channel")
    assert channel is not None
    authors = {
        _t(a, f"{{{wp}}}author_login"): {
            "author_id": _t(a, f"{{{wp}}}author_id"),
            "author_email": _t(a, f"{{{wp}}}author_email"),
            "author_display_name": _t(a, f"{{{wp}}}author_display_name"),
            "author_first_name": _t(a, f"{{{wp}}}author_first_name"),
            "author_last_name": _t(a, f"{{{wp}}}author_last_name"),
        }
        for a in channel.findall(f"{{{wp}}}author")
    }
    categories = [
        {
            "term_id": _t(c, f"{{{wp}}}term_id"),
            "category_nicename": _t(c, f"{{{wp}}}category_nicename"),
            "category_parent": _t(c, f"{{{wp}}}category_parent"),
            "cat_name": _t(c, f"{{{wp}}}cat_name"),
            "category_description": _t(c, f"{{{wp}}}category_description"),
        }
        for c in channel.findall(f"{{{wp}}}category")
    ]
    tags = [
        {
            "term_id": _t(t, f"{{{wp}}}term_id"),
            "tag_slug": _t(t, f"{{{wp}}}tag_slug"),
            "tag_name": _t(t, f"{{{wp}}}tag_name"),
        }
        for t in channel.findall(f"{{{wp}}}tag")
    ]
    return {
        "version": version,
        "base_url": _t(channel, f"{{{wp}}}base_site_url"),
        "authors": authors,
        "categories": categories,
        "tags": tags,
        "posts": [_post(item, wp, excerpt) for item in channel.findall("item")],
    }
