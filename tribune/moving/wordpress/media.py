"""Attachments to Wagtail images, from a copy of wp-content/uploads (never fetched)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model

from tribune.moving.wordpress import ledger as ledger_module
from tribune.moving.wordpress import wxr
from tribune.moving.wordpress.report import Report

_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".heic"}


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
    # post id -> its attached images' ids, for a [gallery] without ids.
    children: dict[str, list[str]] = field(default_factory=dict)

    def resolve(self, attachment: str, src: str) -> int | None:
        if attachment and attachment in self.by_id:
            return self.by_id[attachment]
        return self.by_key.get(image_key(src)) if src else None


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


def import_attachment(
    item: wxr.Item,
    *,
    uploads: Path | None,
    ledger: ledger_module.Ledger,
    images: Images,
    report: Report,
) -> None:
    """One attachment into a Wagtail image with its alt text; listed if missing."""
    address = item.attachment_url or item.guid
    if item.post_parent not in ("", "0"):
        images.children.setdefault(item.post_parent, []).append(item.post_id)
    suffix = Path(upload_path(address)).suffix.lower()
    if suffix and suffix not in _IMAGE_SUFFIXES:
        report.skip("attachment", item.post_id, f"not an image: {address}")
        return
    model = get_image_model()
    title = (item.title or Path(upload_path(address)).stem)[:255]
    alt = item.meta.get("_wp_attachment_image_alt", "")
    print_ = ledger_module.fingerprint([title, alt, address])
    record = ledger.record("attachment", item.post_id)
    image = ledger.target("attachment", item.post_id, model) if record else None
    if image is None:
        path = _source_file(uploads, item)
        if path is None:
            report.skip("attachment", item.post_id, f"file missing: {address}")
            return
        with transaction.atomic(), path.open("rb") as handle:
            image = model(title=title, description=alt[:255])
            image.file = ImageFile(handle, name=path.name)
            image.save()
            ledger.remember("attachment", item.post_id, image, print_)
        report.count("image", "created")
    elif record is not None and record.fingerprint != print_:
        with transaction.atomic():
            image.title, image.description = title, alt[:255]
            image.save(update_fields=["title", "description"])
            ledger.remember("attachment", item.post_id, image, print_)
        report.count("image", "updated")
    else:
        report.count("image", "unchanged")
    images.by_id[item.post_id] = image.pk
    images.by_key[image_key(address)] = image.pk
