"""The live app: new comments, scores and the goal bar reach open pages at once."""

from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "tribune.live"
    label = "live"
    verbose_name = "Live updates"

    def ready(self) -> None:
        from tribune.discussion import signals as discussion_signals
        from tribune.funding import signals as funding_signals
        from tribune.live import receivers

        # Inside the comment's own transaction: the event row is its outbox.
        discussion_signals.comment_shown.connect(
            receivers.comment_shown, dispatch_uid="live_comment_shown"
        )
        discussion_signals.comment_scored.connect(
            receivers.comment_scored, dispatch_uid="live_comment_scored"
        )
        funding_signals.goal_changed.connect(
            receivers.goal_changed, dispatch_uid="live_goal_changed"
        )
