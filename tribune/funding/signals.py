"""What funding tells the apps above it, without importing them."""

from django.dispatch import Signal

# Sent on commit after a ledger write or a donor's badge choice: who supports
# the newsroom, and how, may have changed (the supporters app drops its list).
supporters_changed = Signal()
