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

        discussion_signals.comment_visible.connect(
            receivers.comment_visible, dispatch_uid="live_comment_visible"
        )
        discussion_signals.comment_scored.connect(
            receivers.comment_scored, dispatch_uid="live_comment_scored"
        )
        funding_signals.goal_changed.connect(
            receivers.goal_changed, dispatch_uid="live_goal_changed"
        )
