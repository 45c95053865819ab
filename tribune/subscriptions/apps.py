"""The subscriptions app: email notifications about new comments."""

from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "tribune.subscriptions"
    label = "subscriptions"
    verbose_name = "Subscriptions"

    def ready(self) -> None:
        from tribune.discussion import signals as discussion_signals
        from tribune.mailing import signals as mailing_signals
        from tribune.subscriptions import receivers

        discussion_signals.comment_visible.connect(
            receivers.comment_became_visible, dispatch_uid="subscriptions.visible"
        )
        discussion_signals.comment_posted.connect(
            receivers.comment_posted, dispatch_uid="subscriptions.posted"
        )
        mailing_signals.address_erased.connect(
            receivers.address_erased, dispatch_uid="subscriptions.erased"
        )
