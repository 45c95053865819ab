"""Writes that take a donor out of the ledger while its money records stay.

The ledger is append-only for money; erasure empties only the columns that
name the person (address, public name, message, staff note) and their wall
message.  Amounts, dates, providers and transaction ids stay, so every total
is unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from tribune.funding.models import BadgeChoice, Donation, SupporterMessage

# The provider's customer id (arriving with receipts, issue 16) names the person
# at the provider; it goes too where the ledger has it.
_DONOR_FIELDS = tuple(
    name
    for name in (
        "email",
        "public_name",
        "message",
        "note",
        "customer_ref",
        "subscription_ref",
    )
    if name in {field.name for field in Donation._meta.concrete_fields}
)
_WALL_FIELDS = ("public_name", "message", "status")


@transaction.atomic
def forget_donor(*, email: str) -> dict[str, Any]:
    """Empty the personal columns of every gift made with the address.

    Returns the holding that `restore_donor` puts back (plain JSON).  Wall
    messages of those gifts are emptied and rejected, so the wall shows nothing
    of the person.  The caller drops cached pages.
    """
    address = email.strip()
    if not address:
        return {"donations": [], "wall": []}
    donations = list(
        Donation.objects.select_for_update()
        .filter(email__iexact=address)
        .order_by("pk")
    )
    messages = list(
        SupporterMessage.objects.filter(donation__in=donations).order_by("pk")
    )
    held: dict[str, Any] = {
        "donations": [
            {"id": d.pk, **{name: getattr(d, name) for name in _DONOR_FIELDS}}
            for d in donations
        ],
        "wall": [
            {"id": m.pk, **{name: getattr(m, name) for name in _WALL_FIELDS}}
            for m in messages
        ],
    }
    Donation.objects.filter(pk__in=[d.pk for d in donations]).update(
        **dict.fromkeys(_DONOR_FIELDS, "")
    )
    SupporterMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
        public_name="", message="", status=SupporterMessage.Status.REJECTED
    )
    # The badge choice names the address too.
    choice = BadgeChoice.objects.filter(email=address.lower()).first()
    if choice is not None:
        held["badge"] = {
            "shown": choice.shown,
            "chosen_at": choice.chosen_at.isoformat(),
        }
        choice.delete()
    return held


@transaction.atomic
def restore_donor(*, held: dict[str, Any]) -> int:
    """Put back what `forget_donor` emptied; returns the gifts restored."""
    restored = 0
    for row in held.get("donations", []):
        values = {name: row[name] for name in _DONOR_FIELDS}
        restored += Donation.objects.filter(pk=row["id"]).update(**values)
    for row in held.get("wall", []):
        values = {name: row[name] for name in _WALL_FIELDS}
        SupporterMessage.objects.filter(pk=row["id"]).update(**values)
    badge = held.get("badge")
    address = next((row["email"] for row in held.get("donations", [])), "")
    if badge and address:
        BadgeChoice.objects.update_or_create(
            email=address.strip().lower(),
            defaults={
                "shown": badge["shown"],
                "chosen_at": dt.datetime.fromisoformat(badge["chosen_at"]),
            },
        )
    return restored
