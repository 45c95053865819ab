"""Files in a post's body that are not pictures: links to uploaded documents and
the sources of audio and video players.  BeautifulSoup only, no Django."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

# (attachment id or "", file address) -> the Wagtail document's pk, or None.
DocumentResolver = Callable[[str, str], int | None]

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".heic"}


def no_documents(attachment: str, src: str) -> None:
    """The resolver of an import without documents."""
    return None


def is_upload(url: str) -> bool:
    """Whether an address points into a WordPress uploads folder."""
    return "/wp-content/uploads/" in unquote(urlsplit(url).path)


def is_picture(url: str) -> bool:
    return PurePosixPath(urlsplit(url).path).suffix.lower() in IMAGE_SUFFIXES


def link_documents(
    soup: BeautifulSoup, resolve: DocumentResolver, missing: list[str]
) -> None:
    """Links to uploaded files become links to their documents (Wagtail's
    `document` link type); uploaded files that were not imported are listed."""
    for link in soup.find_all("a", href=True):
        href = str(link["href"]).strip()
        # Files elsewhere on the old site too: Tribune's own exports link
        # /documents/<id>/<name>, named by their attachment's address.
        if is_picture(href) or not PurePosixPath(urlsplit(href).path).suffix:
            continue
        found = resolve("", href)
        if found is None:
            if is_upload(href):
                missing.append(href)
            continue
        link.attrs = {"data-linktype": "document", "data-id": str(found)}


def sources_of(node: Tag) -> list[str]:
    """The files an <audio>, <video> or rewritten [audio]/[video] names, in order."""
    found = str(node.get("data-sources") or "").split()
    found += [str(node.get("src") or "")]
    found += [str(s.get("src") or "") for s in node.find_all("source")]
    return [s.strip() for s in dict.fromkeys(found) if s.strip()]


def playlist_ids(node: Tag, attached: list[str] | tuple[str, ...]) -> list[str]:
    """The attachment ids of a [playlist]: its `ids`, or the post's attachments."""
    ids = [i.strip() for i in str(node.get("data-ids") or "").split(",")]
    return [i for i in ids if i] or list(attached)
