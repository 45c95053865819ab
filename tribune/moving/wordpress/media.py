"""Attachments to Wagtail images (pictures) and documents (PDF, audio, video, office
files), from a copy of wp-content/uploads: never fetched."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.files import File
from django.core.files.images import ImageFile
from django.db import models, transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tribune.moving.wordpress import ledger as ledger_module
from tribune.moving.wordpress import wxr
from tribune.moving.wordpress.files import IMAGE_SUFFIXES
from tribune.moving.wordpress.report import Report

_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")


def upload_path(url_or_path: str) -> str:
    """The path of a file below the uploads folder, from its address or meta."""
    value = unquote(urlsplit(url_or_path).path if "://" in url_or_path else url_or_path)
    for marker in ("/wp-content/uploads/", "/files/"):
        if marker in value:
            value = value.split(marker, 1)[1]
            break
    return value.lstrip("/")


def image_key(url_or_path: str) -> str:
    """What an image's address and its resized copies have in common."""
    return _SIZE_SUFFIX.sub("", upload_path(url_or_path)).lower()


@dataclass
class Images:
    """The images made so far: by attachment id and by address."""

    by_id: dict[str, int] = field(default_factory=dict)
    by_key: dict[str, int] = field(default_factory=dict)
    # post id -> its attachments' ids, for a [gallery] or [playlist] without ids.
    children: dict[str, list[str]] = field(default_factory=dict)
    # The same for documents (every attachment that is not a picture).
    documents_by_id: dict[str, int] = field(default_factory=dict)
    documents_by_key: dict[str, int] = field(default_factory=dict)

    def resolve(self, attachment: str, src: str) -> int | None:
        if attachment and attachment in self.by_id:
            return self.by_id[attachment]
        return self.by_key.get(image_key(src)) if src else None

    def resolve_document(self, attachment: str, src: str) -> int | None:
        if attachment and attachment in self.documents_by_id:
            return self.documents_by_id[attachment]
        return self.documents_by_key.get(document_key(src)) if src else None


def document_key(url_or_path: str) -> str:
    """A document's path below the uploads folder (documents have no resized copies)."""
    return upload_path(url_or_path).lower()


def _source_file(uploads: Path | None, item: wxr.Item) -> Path | None:
    if uploads is None:
        return None
    relative = item.meta.get("_wp_attached_file") or upload_path(item.attachment_url)
    if not relative:
        return None
    root = uploads.resolve()
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None  # also refuses "../" out of the uploads folder
    return candidate


def _save_file(
    model: type[models.Model], path: Path, fields: dict[str, str], *, image: bool
) -> Any:
    with path.open("rb") as handle:
        made: Any = model(**fields)
        made.file = (
            ImageFile(handle, name=path.name) if image else File(handle, name=path.name)
        )
        made.save()
    return made


def _import_file(
    item: wxr.Item,
    run_parts: tuple[Path | None, ledger_module.Ledger, Report],
    *,
    kind: str,
    image: bool,
) -> Any:
    """The image or document of an attachment: made, updated or as it was; None
    (and listed) when its file is not in the uploads copy."""
    uploads, ledger, report = run_parts
    address = item.attachment_url or item.guid
    model = get_image_model() if image else get_document_model()
    title = (item.title or Path(upload_path(address)).stem)[:255]
    alt = item.meta.get("_wp_attachment_image_alt", "")[:255]
    fields = {"title": title, "description": alt} if image else {"title": title}
    print_ = ledger_module.fingerprint([title, alt, address])
    record = ledger.record(kind, item.post_id)
    found = ledger.target(kind, item.post_id, model) if record else None
    counted = "image" if image else "document"
    if found is None:
        path = _source_file(uploads, item)
        if path is None:
            report.skip("attachment", item.post_id, f"file missing: {address}")
            return None
        with transaction.atomic():
            found = _save_file(model, path, fields, image=image)
            ledger.remember(kind, item.post_id, found, print_)
        report.count(counted, "created")
    elif record is not None and record.fingerprint != print_:
        with transaction.atomic():
            for name, value in fields.items():
                setattr(found, name, value)
            found.save(update_fields=list(fields))
            ledger.remember(kind, item.post_id, found, print_)
        report.count(counted, "updated")
    else:
        report.count(counted, "unchanged")
    return found


def import_attachment(
    item: wxr.Item,
    *,
    uploads: Path | None,
    ledger: ledger_module.Ledger,
    images: Images,
    report: Report,
) -> None:
    """One attachment into a Wagtail image with its alt text, or (when it is not
    a picture) a Wagtail document; listed if its file is missing."""
    address = item.attachment_url or item.guid
    if item.post_parent not in ("", "0"):
        images.children.setdefault(item.post_parent, []).append(item.post_id)
    suffix = Path(upload_path(address)).suffix.lower()
    if suffix and suffix not in IMAGE_SUFFIXES:
        # Its own ledger kind: an id that was once skipped must not look like an image.
        document = _import_file(
            item, (uploads, ledger, report), kind="document", image=False
        )
        if document is not None:
            images.documents_by_id[item.post_id] = document.pk
            images.documents_by_key[document_key(address)] = document.pk
        return
    image = _import_file(item, (uploads, ledger, report), kind="attachment", image=True)
    if image is not None:
        images.by_id[item.post_id] = image.pk
        images.by_key[image_key(address)] = image.pk
