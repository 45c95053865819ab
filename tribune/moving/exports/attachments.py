"""The files an export's content uses, as WordPress's own exporter writes them:
one `attachment` item each (wp:attachment_url, `_wp_attached_file`, the parent
post), and, with `--uploads DIR`, a copy laid out like wp-content/uploads.

Tribune has no single id sequence as WordPress has, so attachments take ids in
their own ranges above any page's: stable from one export to the next, which the
import's ledger (keyed by WordPress ids) needs to stay idempotent.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from django.core.files.storage import Storage
from django.utils import timezone
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

DOCUMENT_IDS = 1_000_000_000
IMAGE_IDS = 2_000_000_000
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_name(name: str, fallback: str = "file") -> str:
    """A file name WordPress's sanitize_file_name() would keep: the base name only,
    ASCII letters, digits, dots, dashes and underscores, never hidden or empty."""
    base = PurePosixPath(name.replace("\\", "/")).name
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_name).strip(".-_")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    stem, dot, suffix = cleaned.rpartition(".")
    if dot and stem and len(cleaned) > 120:
        return f"{stem[:100].rstrip('.-_')}.{suffix[:16]}"
    return cleaned[:120] or fallback


@dataclass
class Attachment:
    """What the export writes of one file: a few strings, not the model object,
    so a site with many files keeps little until the attachments are written."""

    wp_id: int
    kind: str  # "image" or "document"
    parent: int
    relative: str  # below the uploads folder: year/month/name
    url: str
    title: str
    alt: str
    created_at: dt.datetime
    stored: tuple[Storage, str]  # the file: its storage and name there


@dataclass
class UsedFiles:
    """The images and documents met while writing the posts, in order."""

    base_url: str
    found: dict[tuple[str, int], Attachment] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    def _relative(self, obj: Any) -> str:
        # The site's month, as WordPress files uploads by its own time zone.
        when = timezone.localtime(obj.created_at)
        folder = f"{when:%Y}/{when:%m}"
        name = safe_file_name(obj.file.name)
        stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
        n = 1
        # WordPress's wp_unique_filename(): name-1.ext, name-2.ext ...
        while f"{folder}/{name}".lower() in self.taken:
            name = f"{stem}-{n}{suffix}"
            n += 1
        self.taken.add(f"{folder}/{name}".lower())
        return f"{folder}/{name}"

    def _add(self, kind: str, obj: Any, parent: int) -> Attachment:
        key = (kind, obj.pk)
        if key not in self.found:
            url = obj.url if kind == "document" else obj.file.url
            self.found[key] = Attachment(
                wp_id=(DOCUMENT_IDS if kind == "document" else IMAGE_IDS) + obj.pk,
                kind=kind,
                parent=parent,
                relative=self._relative(obj),
                url=urljoin(self.base_url, url),
                title=obj.title,
                alt=getattr(obj, "description", "") if kind == "image" else "",
                created_at=obj.created_at,
                stored=(obj.file.storage, obj.file.name),
            )
        return self.found[key]

    def image(self, image: Any, parent: int) -> Attachment:
        return self._add("image", image, parent)

    def document(self, document: Any, parent: int) -> Attachment:
        return self._add("document", document, parent)

    def in_rich_text(self, source: str, parent: int) -> list[Attachment]:
        """Documents linked and images embedded in a rich text's stored form
        (one query per kind)."""
        soup = BeautifulSoup(source, "html.parser")
        wanted = {
            "document": [a.get("id") for a in soup.find_all("a", linktype="document")],
            "image": [e.get("id") for e in soup.find_all("embed", embedtype="image")],
        }
        met = []
        for kind, ids in wanted.items():
            pks = [int(str(i)) for i in ids if str(i).isdigit()]
            if not pks:
                continue
            model = get_document_model() if kind == "document" else get_image_model()
            found = model.objects.in_bulk(pks)
            met += [self._add(kind, found[pk], parent) for pk in pks if pk in found]
        return met


def pictures_as_wordpress(source: str, met: list[Attachment]) -> str:
    """A rich text's embedded images as WordPress writes pictures (the original
    file, `wp-image-ID`), so an import finds their attachment; else unchanged."""
    pictures = {a.wp_id - IMAGE_IDS: a for a in met if a.kind == "image"}
    if not pictures:
        return source
    soup = BeautifulSoup(source, "html.parser")
    for embed in soup.find_all("embed", embedtype="image"):
        found = (
            pictures.get(int(str(embed.get("id"))))
            if str(embed.get("id")).isdigit()
            else None
        )
        if found is not None:
            img = soup.new_tag("img", src=found.url, alt=str(embed.get("alt") or ""))
            img["class"] = f"wp-image-{found.wp_id}"
            embed.replace_with(img)
    return str(soup)


def absolute_document_links(html: str, met: list[Attachment]) -> str:
    """Links to documents at their full address, which is what WordPress's
    importer looks for (and replaces) in content."""
    for linked in met:
        if linked.kind == "document":
            relative = f'href="{escape(urlsplit(linked.url).path)}"'
            html = html.replace(relative, f'href="{escape(linked.url)}"')
    return html


def copy_file(attachment: Attachment, uploads: Path) -> None:
    """The attachment's file at `uploads/<year>/<month>/<name>`; the path is
    made of sanitised parts and checked to stay inside `uploads`."""
    root = uploads.resolve()
    target = (root / attachment.relative).resolve()
    if not target.is_relative_to(root):  # a link inside the folder pointing out
        raise OSError(errno.EACCES, "refused: leads outside the uploads folder", target)
    target.parent.mkdir(parents=True, exist_ok=True)
    storage, name = attachment.stored
    with storage.open(name, "rb") as source, target.open("wb") as copy:
        shutil.copyfileobj(source, copy)
