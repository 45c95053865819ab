"""Signals the discussion sends so other apps can react; it imports no receiver."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after the transaction commits when a comment becomes visible to readers:
# posted approved, or approved later by a moderator. Argument: `comment`.
comment_visible = Signal()

# Sent after the transaction commits when a reader posted a comment and asked
# to be notified. Arguments: `comment`, `notify` ("replies" or "all").
comment_posted = Signal()
