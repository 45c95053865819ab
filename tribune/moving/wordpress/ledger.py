"""The ledger of what a WordPress site's ids became here (LegacyRecord)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, is_dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tribune.moving.models import LegacyRecord, Source


def fingerprint(value: Any) -> str:
    """A stable hash of what was imported (a dataclass or JSON-able value)."""
    data = (
        asdict(value) if is_dataclass(value) and not isinstance(value, type) else value
    )
    raw = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


class Ledger:
    """Look-ups and writes of one site's records; remembers targets it has seen."""

    def __init__(self, site_key: str) -> None:
        self.site_key = site_key[:200]

    def record(self, kind: str, legacy_id: str) -> LegacyRecord | None:
        return LegacyRecord.objects.filter(
            source=Source.WORDPRESS,
            site_key=self.site_key,
            kind=kind,
            legacy_id=str(legacy_id)[:64],
        ).first()

    def records(self, kind: str, legacy_ids: list[str]) -> dict[str, LegacyRecord]:
        """The records of many ids of a kind, by legacy id (one query)."""
        found = LegacyRecord.objects.filter(
            source=Source.WORDPRESS,
            site_key=self.site_key,
            kind=kind,
            legacy_id__in=[str(i)[:64] for i in legacy_ids],
        )
        return {r.legacy_id: r for r in found}

    def target(self, kind: str, legacy_id: str, model: type[models.Model]) -> Any:
        """The object an earlier import made for this id, if it still exists."""
        found = self.record(kind, legacy_id)
        if found is None:
            return None
        return model._default_manager.filter(pk=found.object_id).first()

    def remember(
        self, kind: str, legacy_id: str, target: models.Model, print_: str
    ) -> None:
        LegacyRecord.objects.update_or_create(
            source=Source.WORDPRESS,
            site_key=self.site_key,
            kind=kind,
            legacy_id=str(legacy_id)[:64],
            defaults={
                "content_type": ContentType.objects.get_for_model(target),
                "object_id": target.pk,
                "fingerprint": print_,
            },
        )

    def ids_of(self, kind: str) -> dict[str, int]:
        """legacy id -> object id of every record of a kind (for look-ups in bulk)."""
        return dict(
            LegacyRecord.objects.filter(
                source=Source.WORDPRESS, site_key=self.site_key, kind=kind
            ).values_list("legacy_id", "object_id")
        )
