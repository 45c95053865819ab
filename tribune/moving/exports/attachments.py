"""The files an export's content uses, as WordPress's own exporter writes them:
one `attachment` item each (wp:attachment_url, `_wp_attached_file`, the parent
post), and, with `--uploads DIR`, a copy laid out like wp-content/uploads.

Tribune has no single id sequence as WordPress has, so attachments take ids in
their own ranges above any page's: stable from one export to the next, which the
import's ledger (keyed by WordPress ids) needs to stay idempotent.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup
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
    wp_id: int
    kind: str  # "image" or "document"
    obj: Any
    parent: int
    relative: str  # below the uploads folder: year/month/name
    url: str


@dataclass
class UsedFiles:
    """The images and documents met while writing the posts, in order."""

    base_url: str
    found: dict[tuple[str, int], Attachment] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    def _relative(self, obj: Any) -> str:
        when = obj.created_at
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
                obj=obj,
                parent=parent,
                relative=self._relative(obj),
                url=urljoin(self.base_url, url),
            )
        return self.found[key]

    def image(self, image: Any, parent: int) -> Attachment:
        return self._add("image", image, parent)

    def document(self, document: Any, parent: int) -> Attachment:
        return self._add("document", document, parent)

    def in_rich_text(self, source: str, parent: int) -> list[Attachment]:
        """Documents linked and images embedded in a rich text's stored form."""
        soup = BeautifulSoup(source, "html.parser")
        documents = [a.get("id") for a in soup.find_all("a", linktype="document")]
        images = [e.get("id") for e in soup.find_all("embed", embedtype="image")]
        wanted = [("document", str(i)) for i in documents if str(i).isdigit()]
        wanted += [("image", str(i)) for i in images if str(i).isdigit()]
        met = []
        for kind, pk in wanted:
            model = get_document_model() if kind == "document" else get_image_model()
            obj = model.objects.filter(pk=int(pk)).first()
            if obj is not None:
                met.append(self._add(kind, obj, parent))
        return met


def copy_file(attachment: Attachment, uploads: Path) -> None:
    """The attachment's file at `uploads/<year>/<month>/<name>`; the path is
    made of sanitised parts and checked to stay inside `uploads`."""
    root = uploads.resolve()
    target = (root / attachment.relative).resolve()
    if not target.is_relative_to(root):
        raise ValueError(f"unsafe upload path: {attachment.relative!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with attachment.obj.file.open("rb") as source, target.open("wb") as copy:
        shutil.copyfileobj(source, copy)
