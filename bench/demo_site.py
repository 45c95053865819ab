"""The demo site in this process, open to a stream of new guests' comments, for the
in-process posting benchmarks (post_phases.py, render_profile.py). Import it after
django.setup()."""

from django.core.management import call_command

from tribune.discussion import selectors
from tribune.discussion.models import ModerationPolicy


def load_for_posting() -> None:
    """Static files with hashed names, the demo content, comments published at
    once and no per-network limit (every post is a new guest from 127.0.0.1)."""
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo_load", verbosity=0)
    rules = selectors.get_settings(None)
    rules.moderation = ModerationPolicy.PUBLISH
    rules.new_guests_per_ip_per_hour = 0
    rules.save()
