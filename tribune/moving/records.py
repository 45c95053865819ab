"""Reads and writes of LegacyRecord: what an imported object became here."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tribune.moving.models import LegacyRecord


def find_record(
    *, source: str, site_key: str, kind: str, legacy_id: str
) -> LegacyRecord | None:
    """The record of one imported object, or None when it was never imported."""
    return LegacyRecord.objects.filter(
        source=source, site_key=site_key, kind=kind, legacy_id=legacy_id
    ).first()


def remember_import(
    *,
    source: str,
    site_key: str,
    kind: str,
    legacy_id: str,
    target: models.Model,
    fingerprint: str = "",
) -> LegacyRecord:
    """Record (or update) that `legacy_id` of `source` became `target`.

    The one idempotency key of every importer: a rerun finds the record and
    updates its target instead of adding a second one.
    """
    record, _ = LegacyRecord.objects.update_or_create(
        source=source,
        site_key=site_key[:200],
        kind=kind,
        legacy_id=legacy_id[:64],
        defaults={
            "content_type": ContentType.objects.get_for_model(target),
            "object_id": target.pk,
            "fingerprint": fingerprint,
        },
    )
    return record
