"""Signals other apps connect to; mailing sends them and imports no receiver."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside erase_address's transaction with `email` (normalised). Receivers
# delete what they hold for the address (subscriptions, tokens); an exception
# rolls the whole erasure back.
address_erased = Signal()
