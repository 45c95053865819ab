"""Reading a Disqus export as a stream of threads and posts (no ORM).

Disqus documents its XML export as "for backup purposes": `<category>`, `<thread>` and
`<post>` elements under `<disqus xmlns="http://disqus.com">`, with their ids in
`dsq:id` attributes (namespace `http://disqus.com/disqus-internals`).  The file is
read element by element with defusedxml, which refuses entity declarations and
external references, and each element is dropped once read, so memory stays bounded
by what the caller keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

NS = "http://disqus.com"
DSQ = "http://disqus.com/disqus-internals"
_DSQ_ID = f"{{{DSQ}}}id"


class DisqusReadError(Exception):
    """The file is not a readable Disqus export."""


@dataclass(frozen=True)
class DisqusThread:
    dsq_id: str
    identifier: str
    forum: str
    link: str
    title: str
    created_at: dt.datetime | None
    closed: bool


@dataclass(frozen=True)
class DisqusPost:
    dsq_id: str
    thread_id: str
    parent_id: str
    message: str
    created_at: dt.datetime | None
    deleted: bool
    spam: bool
    author_name: str
    author_email: str
    author_username: str
    anonymous: bool


def parse_date(text: str) -> dt.datetime | None:
    """An aware datetime from Disqus's ISO 8601 (`2013-10-10T19:20:29Z`), or None."""
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _text(element: Element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _flag(element: Element, path: str) -> bool:
    return _text(element, path).lower() == "true"


def _ref(element: Element, name: str) -> str:
    found = element.find(f"{{{NS}}}{name}")
    return (found.get(_DSQ_ID) or "").strip() if found is not None else ""


def _thread(element: Element) -> DisqusThread:
    def t(name: str) -> str:
        return _text(element, f"{{{NS}}}{name}")

    return DisqusThread(
        dsq_id=(element.get(_DSQ_ID) or "").strip(),
        identifier=t("id"),
        forum=t("forum"),
        link=t("link"),
        title=t("title"),
        created_at=parse_date(t("createdAt")),
        closed=_flag(element, f"{{{NS}}}isClosed"),
    )


def _post(element: Element) -> DisqusPost:
    def t(name: str) -> str:
        return _text(element, f"{{{NS}}}{name}")

    def author(name: str) -> str:
        return _text(element, f"{{{NS}}}author/{{{NS}}}{name}")

    return DisqusPost(
        dsq_id=(element.get(_DSQ_ID) or "").strip(),
        thread_id=_ref(element, "thread"),
        parent_id=_ref(element, "parent"),
        # Disqus keeps the message as HTML, whitespace included.
        message=(element.findtext(f"{{{NS}}}message") or "").strip(),
        created_at=parse_date(t("createdAt")),
        deleted=_flag(element, f"{{{NS}}}isDeleted"),
        spam=_flag(element, f"{{{NS}}}isSpam"),
        author_name=author("name"),
        author_email=author("email"),
        author_username=author("username"),
        anonymous=author("isAnonymous").lower() == "true",
    )


def read_export(source: str | IO[bytes]) -> Iterator[DisqusThread | DisqusPost]:
    """Each thread and post of a Disqus export, in file order.

    Raises DisqusReadError for malformed XML, entity declarations, external
    references, or a root element other than Disqus's `<disqus>`.
    """
    depth = 0
    root: Element | None = None
    try:
        for event, element in SafeET.iterparse(source, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 1:
                    root = element
                    if element.tag != f"{{{NS}}}disqus":
                        raise DisqusReadError(
                            f"not a Disqus export: the root element is {element.tag}"
                        )
                continue
            depth -= 1
            if depth != 1:
                continue
            if element.tag == f"{{{NS}}}thread":
                yield _thread(element)
            elif element.tag == f"{{{NS}}}post":
                yield _post(element)
            # Drop what was read: the tree never holds more than one element.
            if root is not None:
                root.remove(element)
    except ParseError as error:
        raise DisqusReadError(f"malformed XML: {error}") from error
    except defusedxml.DefusedXmlException as error:
        raise DisqusReadError(f"refused XML: {error}") from error
    except OSError as error:
        raise DisqusReadError(f"cannot read the file: {error}") from error
    if root is None:
        raise DisqusReadError("the file is empty")
